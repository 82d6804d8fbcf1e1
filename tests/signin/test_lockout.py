"""Sign-in lockout (issue 19, django-axes): five wrong passwords for one username from one
address lock that pair out for fifteen minutes, with a page that says so; every attempt, the
lockout, the success and the sign-out are in the audit log, with the address and never the
password."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.module_loading import import_string

from config import testclock
from config.ratelimits import client_address
from services.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.graphql import host_of

pytestmark = pytest.mark.django_db

HERE = "198.51.100.20"
ELSEWHERE = "203.0.113.20"


def _client(address: str = HERE, agency=None) -> Client:
    return Client(HTTP_HOST=host_of(agency), REMOTE_ADDR=address)


def _sign_in(username: str, password: str, address: str = HERE, agency=None):
    client = _client(address, agency)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response, client


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _events(user, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action, object_type="tenants.user", object_id=str(user.pk)
        ).order_by("id")
    )


def test_the_settings_are_the_documented_ones():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True
    # axes' backend first (under test settings, its subclass that lets login() through): it
    # refuses a locked-out username before any password is checked
    backends = settings.AUTHENTICATION_BACKENDS
    assert issubclass(import_string(backends[0]), AxesStandaloneBackend)
    assert "django.contrib.auth.backends.ModelBackend" in backends[1:]
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert "axes" in settings.SHARED_APPS and "axes" not in settings.TENANT_APPS


def test_five_wrong_passwords_lock_the_username_at_that_address_until_the_cool_off(federation):
    admin = federation.user("alpha-admin")
    # four wrong passwords are answered as wrong, on the sign-in page
    for n in range(4):
        response, client = _sign_in("alpha-admin", f"wrong-{n}")
        assert response.status_code == 200 and not _signed_in(client)
    # the fifth locks the username at this address: the lockout page, 429 with Retry-After
    response, client = _sign_in("alpha-admin", "wrong-4")
    assert response.status_code == 429
    assert 14 * 60 <= int(response["Retry-After"]) <= 15 * 60
    page = response.content.decode()
    assert "Sign-in locked" in page and "Try again in 15 minutes" in page and "<main" in page
    # then even the right password is refused with the same page
    response, client = _sign_in("alpha-admin", PASSWORD)
    assert response.status_code == 429 and "Sign-in locked" in response.content.decode()
    assert not _signed_in(client)
    # the same person from another address, and another person from this one, sign in
    response, client = _sign_in("alpha-admin", PASSWORD, ELSEWHERE)
    assert response.status_code == 302 and _signed_in(client)
    response, client = _sign_in("beta-admin", PASSWORD)
    assert response.status_code == 302 and _signed_in(client)
    # still locked here a while later; after the cool-off the right password works again
    testclock.rewind(timezone.now() + dt.timedelta(minutes=10))
    assert _sign_in("alpha-admin", PASSWORD)[0].status_code == 429
    testclock.rewind(timezone.now() + dt.timedelta(minutes=6))
    response, client = _sign_in("alpha-admin", PASSWORD)
    assert response.status_code == 302 and _signed_in(client)

    # and every attempt is in the audit log, with the address and without the password
    failed = _events(admin, "signin.failed")
    assert len(failed) == 7  # five wrong passwords, then two refused while locked
    assert {e.changes["ip"] for e in failed} == {HERE}
    assert {e.changes["username"] for e in failed} == {"alpha-admin"}
    assert all(e.actor_id is None for e in failed)
    locked = _events(admin, "signin.locked_out")
    assert len(locked) == 3  # at the fifth failure, and at each refused attempt
    assert locked[0].changes == {"username": "alpha-admin", "ip": HERE, "failures": 5}
    assert [e.changes.get("while_locked") for e in locked[1:]] == [True, True]
    succeeded = _events(admin, "signin.succeeded")
    assert [(e.actor_id, e.changes["ip"]) for e in succeeded] == [
        (admin.pk, ELSEWHERE),
        (admin.pk, HERE),
    ]
    rows = AuditEvent.objects.filter(action__startswith="signin.")
    assert all(PASSWORD not in str(e.changes) and "wrong-" not in str(e.changes) for e in rows)


def test_a_success_resets_the_count(federation):
    for n in range(4):
        assert _sign_in("alpha-staff", f"wrong-{n}")[0].status_code == 200
    assert _sign_in("alpha-staff", PASSWORD)[0].status_code == 302
    # four more wrong passwords: the count started again, no lockout
    for n in range(4):
        assert _sign_in("alpha-staff", f"again-{n}")[0].status_code == 200
    assert _sign_in("alpha-staff", PASSWORD)[0].status_code == 302


def test_a_username_that_names_no_one_is_recorded_on_the_hosts_agency(federation):
    response, _client_ = _sign_in("no-such-person", "whatever", agency=federation.alpha)
    assert response.status_code == 200
    [event] = AuditEvent.objects.filter(action="signin.failed")
    assert (event.object_type, event.object_id) == ("tenants.agency", str(federation.alpha.pk))
    assert event.agency_id == federation.alpha.pk
    assert event.changes == {"username": "no-such-person", "ip": HERE}


def test_signing_in_and_out_on_an_agency_host_is_recorded_there(federation):
    staff = federation.user("alpha-staff")
    response, client = _sign_in("alpha-staff", PASSWORD, agency=federation.alpha)
    assert response.status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    [signed_in] = _events(staff, "signin.succeeded")
    [signed_out] = _events(staff, "signin.signed_out")
    for event in (signed_in, signed_out):
        assert event.actor_id == staff.pk and event.agency_id == federation.alpha.pk
        assert event.changes["ip"] == HERE
    assert signed_out.changes["by"] == "person"


def test_the_test_clients_own_sign_ins_are_no_one_signing_in(federation):
    # force_login and login() build a bare request: not a sign-in over HTTP, not audited
    client = Client(HTTP_HOST=host_of(None))
    client.force_login(federation.user("fin"))
    assert Client().login(username="fin", password=PASSWORD)
    assert not AuditEvent.objects.filter(action__startswith="signin.").exists()


def test_a_proxy_header_names_the_address_when_configured(federation, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    client = Client(HTTP_HOST=host_of(None), REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="192.0.2.77")
    client.post("/accounts/login/", {"username": "fin", "password": "wrong"})
    [event] = AuditEvent.objects.filter(action="signin.failed")
    assert event.changes["ip"] == "192.0.2.77"


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("192.0.2.9", "192.0.2.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),  # an IPv6 address stands for its /64
        ("not an address", None),  # no address, never an error (axes stores an inet)
        ("", None),
    ],
)
def test_the_client_address(value, address):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=value)
    assert client_address(request) == address
