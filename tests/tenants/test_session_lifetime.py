"""A signed-in session ends when idle too long or open too long, sooner for central roles
(tenants/sessions.py; issue 18): the next page asks to sign in again. Bearer tokens are not
sessions and are not ended."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.graphql import gql, host_of

pytestmark = pytest.mark.django_db


def _signed_in(user, agency=None) -> Client:
    client = Client(HTTP_HOST=host_of(agency))
    client.force_login(user)
    return client


def _at(moment: dt.datetime, client: Client) -> int:
    with time_machine.travel(moment, tick=False):
        return client.get("/").status_code


def test_an_agency_session_ends_after_an_hour_idle(federation):
    start = timezone.now()
    client = _signed_in(federation.user("alpha-admin"), federation.alpha)
    assert _at(start, client) == 200
    assert _at(start + dt.timedelta(minutes=59), client) == 200  # active: still signed in
    assert _at(start + dt.timedelta(minutes=118), client) == 200  # 59 idle minutes again
    assert _at(start + dt.timedelta(minutes=180), client) == 302  # 62 idle: signed out
    assert _at(start + dt.timedelta(minutes=181), client) == 302  # and stays so


def test_a_central_session_ends_after_half_an_hour_idle(federation):
    start = timezone.now()
    client = _signed_in(federation.user("root"))
    assert _at(start, client) == 200
    assert _at(start + dt.timedelta(minutes=29), client) == 200
    assert _at(start + dt.timedelta(minutes=61), client) == 302


def test_a_busy_session_still_ends_at_its_absolute_lifetime(federation):
    start = timezone.now()
    client = _signed_in(federation.user("alpha-admin"), federation.alpha)
    for minutes in range(0, 12 * 60, 50):  # a request every 50 minutes
        assert _at(start + dt.timedelta(minutes=minutes), client) == 200, minutes
    assert _at(start + dt.timedelta(minutes=12 * 60 + 5), client) == 302


def test_a_bearer_token_is_not_a_session(federation):
    from services.agencies.tokens import issue_api_token

    token, _row = issue_api_token(federation.user("alpha-admin"))
    later = timezone.now() + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        response = gql("{ me { username } }", agency=federation.alpha, token=token)
    assert response.data == {"me": {"username": "alpha-admin"}}
