"""Rate limits (issue 18; config/ratelimits.py, django-ratelimit): GraphQL per identity and per
client address, sign-in per address and per username. Over a limit the caller gets 429 with
Retry-After and nothing runs; the window passes and the caller is served again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client, override_settings
from django.utils import timezone

from config import testclock
from tests.conftest import PASSWORD
from tests.graphql import host_of

pytestmark = pytest.mark.django_db

QUERY = '{"query": "{ __typename }"}'
UNLIMITED = "100000/m"


def _limits(**rates: str) -> dict[str, str]:
    return {**dict.fromkeys(settings.SAMNAV_RATE_LIMITS, UNLIMITED), **rates}


@pytest.fixture(autouse=True)
def _fresh_counters():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def _client(user=None, address="198.51.100.7") -> Client:
    client = Client(HTTP_HOST=host_of(None), REMOTE_ADDR=address)
    if user is not None:
        client.force_login(user)
    return client


def _ask(client: Client):
    return client.post("/graphql/", QUERY, content_type="application/json")


def _assert_limited(response, window_seconds: int) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= window_seconds
    if response["Content-Type"].startswith("application/json"):
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert error["extensions"]["retryAfter"] == int(response["Retry-After"])


@override_settings(SAMNAV_RATE_LIMITS=_limits(graphql_identity="3/m"))
def test_graphql_is_limited_per_person_wherever_they_call_from(federation):
    admin = federation.user("alpha-admin")
    answers = [_ask(_client(admin, f"198.51.100.{n}")) for n in range(4)]
    assert [r.status_code for r in answers[:3]] == [200, 200, 200]
    _assert_limited(answers[3], 60)
    # someone else at the same address is still served
    assert _ask(_client(federation.user("beta-admin"), "198.51.100.3")).status_code == 200


@override_settings(SAMNAV_RATE_LIMITS=_limits(graphql_ip="3/m"))
def test_graphql_is_limited_per_address_whoever_calls(federation):
    people = ["alpha-admin", "beta-admin", "alpha-staff", "beta-staff"]
    answers = [_ask(_client(federation.user(p))) for p in people]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    _assert_limited(answers[3], 60)
    assert _ask(_client(federation.user("beta-staff"), "203.0.113.9")).status_code == 200


@override_settings(SAMNAV_RATE_LIMITS=_limits(graphql_anonymous_ip="2/m"))
def test_anonymous_callers_have_a_lower_limit_than_signed_in_ones(federation):
    anonymous = _client()
    assert [_ask(anonymous).status_code for _ in range(3)] == [200, 200, 429]
    assert _ask(_client(federation.user("alpha-admin"))).status_code == 200


@override_settings(SAMNAV_RATE_LIMITS=_limits(graphql_identity="2/m"))
def test_the_limit_lifts_when_the_window_has_passed(federation):
    client = _client(federation.user("alpha-admin"))
    assert [_ask(client).status_code for _ in range(3)] == [200, 200, 429]
    testclock.rewind(timezone.now() + dt.timedelta(seconds=61))
    assert _ask(client).status_code == 200


def _sign_in(username: str, password: str, address: str = "198.51.100.7"):
    client = Client(HTTP_HOST=host_of(None), REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response, client


@override_settings(SAMNAV_RATE_LIMITS=_limits(login_username="3/15m"))
def test_guessing_a_password_stops_even_the_right_one_until_the_window_passes(federation):
    # three wrong passwords, from three addresses, are answered as wrong
    for n in range(3):
        response, _client_ = _sign_in("alpha-admin", f"wrong-{n}", f"198.51.100.{n}")
        assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    # the fourth attempt is refused before the password is checked, even the right one
    response, client = _sign_in("alpha-admin", PASSWORD, "198.51.100.9")
    _assert_limited(response, 15 * 60)
    assert "_auth_user_id" not in client.session
    # another person signs in from the same address
    response, _client_ = _sign_in("beta-admin", PASSWORD, "198.51.100.9")
    assert response.status_code == 302
    # and after the window, the right password works again
    testclock.rewind(timezone.now() + dt.timedelta(minutes=16))
    response, _client_ = _sign_in("alpha-admin", PASSWORD, "198.51.100.9")
    assert response.status_code == 302


@override_settings(SAMNAV_RATE_LIMITS=_limits(login_ip="2/m"))
def test_sign_in_attempts_are_limited_per_address(federation):
    codes = [_sign_in(name, "wrong")[0].status_code for name in ("a", "b", "c")]
    assert codes == [200, 200, 429]
    assert _sign_in("beta-admin", PASSWORD, "203.0.113.9")[0].status_code == 302


@override_settings(SAMNAV_RATE_LIMITS=_limits(login_ip="1/m"))
def test_the_sign_in_page_itself_is_not_counted_and_the_refusal_is_a_page(federation):
    client = Client(HTTP_HOST=host_of(None), REMOTE_ADDR="198.51.100.7")
    assert [client.get("/accounts/login/").status_code for _ in range(3)] == [200, 200, 200]
    _sign_in("x", "wrong")
    response, _client_ = _sign_in("y", "wrong")
    _assert_limited(response, 60)
    assert b"Too many requests" in response.content and b"<main" in response.content
