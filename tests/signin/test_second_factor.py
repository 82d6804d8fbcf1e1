"""A second factor for central roles and agency admins (issue 19, part 4): TOTP from an
authenticator app (django-otp; codes computed here as the app computes them, on the tests'
clock) and single-use recovery codes. Under local settings (the demo) it is off, and the
sign-in page says so."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from config import testclock
from services.agencies.tokens import issue_api_token
from services.audit.models import AuditEvent
from tests.graphql import host_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.SAMNAV_MFA_REQUIRED = True
    settings.SAMNAV_MFA_RELAXED_AGENCIES = []


def _client(federation, user: str, agency=None) -> Client:
    client = Client(HTTP_HOST=host_of(agency))
    client.force_login(federation.user(user))
    return client


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{totp.token():0{device.digits}d}"


def _enrol(client: Client) -> list[str]:
    page = client.get("/accounts/second-factor/enrol/?next=/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user_id=int(client.session["_auth_user_id"]))
    done = client.post("/accounts/second-factor/enrol/?next=/", {"code": _code(device)})
    assert done.status_code == 200, done.content
    return re.findall(r"<code>([0-9a-z]+)</code>", done.content.decode())


def test_a_central_role_is_sent_to_enrol_then_works_after_giving_the_code(federation):
    client = _client(federation, "root")
    # signed in with a password alone, every page sends them to the second factor ...
    first = client.get("/")
    assert first.status_code == 302 and first["Location"].startswith("/accounts/second-factor/")
    assert client.get(first["Location"])["Location"].startswith("/accounts/second-factor/enrol/")
    # ... where a wrong code is refused and recorded
    client.get("/accounts/second-factor/enrol/")
    wrong = client.post("/accounts/second-factor/enrol/", {"code": "000000"})
    assert wrong.status_code == 200 and b"has-error" in wrong.content
    # (django-otp makes the next try wait a second after a wrong code)
    testclock.rewind(timezone.now() + dt.timedelta(seconds=3))
    # and the right one turns it on, with ten recovery codes shown once
    codes = _enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="signin.second_factor_enrolled").count() == 1


def test_each_new_session_asks_again_and_a_recovery_code_works_once(federation):
    codes = _enrol(_client(federation, "root"))
    later = _client(federation, "root")
    assert later.get("/")["Location"].startswith("/accounts/second-factor/?next=")
    assert later.post("/accounts/second-factor/?next=/", {"code": codes[0]})["Location"] == "/"
    assert later.get("/").status_code == 200
    again = _client(federation, "root")
    refused = again.post("/accounts/second-factor/?next=/", {"code": codes[0]})
    assert refused.status_code == 200 and again.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="signin.second_factor_failed").count() == 1
    # the authenticator's code of the next 30 seconds works (a code is taken once, and a
    # wrong one makes the next try wait)
    testclock.rewind(timezone.now() + dt.timedelta(seconds=31))
    device = TOTPDevice.objects.get(user=federation.user("root"))
    assert again.post("/accounts/second-factor/", {"code": _code(device)}).status_code == 302


def test_graphql_by_session_needs_it_and_an_api_token_does_not(federation):
    client = _client(federation, "root")
    response = client.post(
        "/graphql/", '{"query": "{ __typename }"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "SECOND_FACTOR_REQUIRED"
    raw, _token = issue_api_token(federation.user("root"))
    by_token = Client(HTTP_HOST=host_of(None)).post(
        "/graphql/",
        '{"query": "{ __typename }"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert by_token.status_code == 200


def test_who_must_give_one(federation, settings):
    # agency admins must; staff need not
    assert _client(federation, "alpha-admin", federation.alpha).get("/").status_code == 302
    assert _client(federation, "alpha-staff", federation.alpha).get("/").status_code == 200
    # an agency listed as relaxed lets its admins do without
    settings.SAMNAV_MFA_RELAXED_AGENCIES = ["alpha"]
    assert _client(federation, "alpha-admin", federation.alpha).get("/").status_code == 200
    # and with it off (the demo), nobody is asked, and the sign-in page says so
    settings.SAMNAV_MFA_REQUIRED = False
    assert _client(federation, "root").get("/").status_code == 200
    page = Client(HTTP_HOST=host_of(None)).get("/accounts/login/").content.decode()
    assert "no second factor is asked for here" in page


def test_the_next_address_stays_on_this_host(federation):
    codes = _enrol(_client(federation, "root"))
    client = _client(federation, "root")
    answer = client.post("/accounts/second-factor/?next=https://evil.example/", {"code": codes[1]})
    assert answer["Location"] == "/"
