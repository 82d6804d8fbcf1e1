"""Suspension blocks every sign-in and API call on the agency's host, and loses nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.agencies import actions
from services.agencies.tokens import issue_api_token
from services.people.models import Person
from tenants.models import AgencyState
from tests.conftest import PASSWORD
from tests.graphql import gql

pytestmark = pytest.mark.django_db

SUSPEND = """mutation($id: ID!, $reason: String!) {
  suspendAgency(agency: $id, reason: $reason) { agency { state } errors { field code } } }"""
REACTIVATE = """mutation($id: ID!) {
  reactivateAgency(agency: $id) { agency { state } errors { field code } } }"""


def test_suspension_blocks_sign_in_and_api_and_reactivation_restores(federation):
    alpha = federation.alpha
    with schema_context(alpha.schema_name):
        Person.objects.create(name="Kvarvarande Person", email="kvar@example.org")
    raw, _ = issue_api_token(federation.user("alpha-admin"))
    # when a platform admin suspends alpha
    r = gql(
        SUSPEND,
        {"id": to_global_id("Agency", alpha.pk), "reason": "Unpaid invoices"},
        user=federation.user("root"),
    )
    assert r.data["suspendAgency"] == {"agency": {"state": "SUSPENDED"}, "errors": []}
    # then the API refuses with a clear message, token or session alike
    for kwargs in ({"token": raw}, {"user": federation.user("alpha-admin")}):
        r = gql("{ agency { name } }", agency=alpha, **kwargs)
        assert r.status == 403 and r.data is None
        assert r.errors[0]["extensions"]["code"] == "AGENCY_SUSPENDED"
        assert "suspended" in r.errors[0]["message"]
    # and sign-in on the host is refused
    client = Client(HTTP_HOST="alpha.localhost")
    page = client.post("/accounts/login/", {"username": "alpha-admin", "password": PASSWORD})
    assert page.status_code == 403
    assert "_auth_user_id" not in client.session
    # beta is unaffected
    assert gql(
        "{ agency { slug } }", agency=federation.beta, user=federation.user("beta-admin")
    ).data == {"agency": {"slug": "beta"}}
    # when reactivated, access and data are back
    r = gql(REACTIVATE, {"id": to_global_id("Agency", alpha.pk)}, user=federation.user("root"))
    assert r.data["reactivateAgency"] == {"agency": {"state": "ACTIVE"}, "errors": []}
    assert gql("{ agency { slug } }", agency=alpha, token=raw).data == {"agency": {"slug": "alpha"}}
    with schema_context(alpha.schema_name):
        assert Person.objects.filter(email="kvar@example.org").count() == 1


def test_suspension_needs_a_reason_and_an_active_agency(federation):
    with pytest.raises(ValidationError) as raised:
        actions.suspend_agency(None, "alpha", "  ")
    assert "reason" in raised.value.error_dict
    with pytest.raises(ValidationError) as raised:
        actions.reactivate_agency(None, "alpha")
    assert raised.value.error_dict["agency"][0].code == "invalid_state"
    with pytest.raises(ValidationError) as raised:
        actions.suspend_agency(None, "no-such-agency", "x")
    assert raised.value.error_dict["agency"][0].code == "not_found"
    assert federation.alpha.__class__.objects.get(slug="alpha").state == AgencyState.ACTIVE


def test_suspend_command(federation):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("suspend_agency", "beta", reason="Audit", stdout=out)
    assert "Suspended" in out.getvalue()
    with pytest.raises(CommandError, match="agency"):
        call_command("suspend_agency", "beta", reason="Again")
    call_command("reactivate_agency", "beta", stdout=out)
    assert federation.beta.__class__.objects.get(slug="beta").state == AgencyState.ACTIVE
