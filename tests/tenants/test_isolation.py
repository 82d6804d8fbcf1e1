"""Isolation: an agency's people reach only their agency, on its host; central roles work
centrally. Every GraphQL field and mutation of the agencies domain is covered here."""

import pytest
from django.test import Client
from graphql_relay import to_global_id

from tenants.models import Agency, AgencyState
from tests.graphql import gql

pytestmark = pytest.mark.django_db

AGENCY_Q = "{ agency { id name slug securityLevel availabilityLevel state } }"
AGENCIES_Q = "{ agencies(first: 50) { totalCount edges { node { slug } } } }"
ME_Q = "{ me { username roles { role agency { slug } } } }"


def test_admin_of_a_reads_a_on_as_host(federation):
    # when alpha's admin asks for the agency of alpha's host
    r = gql(AGENCY_Q, agency=federation.alpha, user=federation.user("alpha-admin"))
    # then they get alpha with its levels and state
    assert r.status == 200 and not r.errors
    assert r.data["agency"] == {
        "id": to_global_id("Agency", federation.alpha.pk),
        "name": "Länsstyrelsen Alfa",
        "slug": "alpha",
        "securityLevel": 2,
        "availabilityLevel": 2,
        "state": "ACTIVE",
    }


@pytest.mark.parametrize("who", ["alpha-admin", "alpha-staff"])
def test_members_of_a_get_403_and_nothing_on_bs_host(federation, who):
    user = federation.user(who)
    # GraphQL: one error, no data
    r = gql(AGENCY_Q, agency=federation.beta, user=user)
    assert r.status == 403
    assert r.data is None
    assert [e["extensions"]["code"] for e in r.errors] == ["FORBIDDEN"]
    assert "Beta" not in str(r.body)
    # pages: 403 without the agency's content
    client = Client(HTTP_HOST="beta.localhost")
    client.force_login(user)
    page = client.get("/")
    assert page.status_code == 403
    assert b"Beta" not in page.content


def test_a_user_without_any_grant_is_refused_everywhere_on_agency_hosts(federation):
    for agency in (federation.alpha, federation.beta):
        r = gql(ME_Q, agency=agency, user=federation.user("nobody"))
        assert r.status == 403 and r.data is None


def test_central_roles_have_no_power_on_an_agency_host(federation):
    # Central IT reaches agency data through its central role on the central host only.
    r = gql(AGENCY_Q, agency=federation.alpha, user=federation.user("root"))
    assert r.status == 403 and r.data is None


def test_anonymous_callers_get_an_authentication_error(federation):
    r = gql(AGENCY_Q, agency=federation.alpha)
    assert r.status == 401 and r.data is None
    r = gql(AGENCIES_Q)
    assert r.data["agencies"] is None
    assert r.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_agencies_list_is_central_only(federation):
    # central roles see every member agency (not central IT's row, not the template)
    for who in ("root", "cat", "desk", "tech", "fin"):
        r = gql(AGENCIES_Q, user=federation.user(who))
        slugs = {e["node"]["slug"] for e in r.data["agencies"]["edges"]}
        assert {"alpha", "beta"} <= slugs
        assert not slugs & {"public", "samnav-template"}
        assert r.data["agencies"]["totalCount"] == Agency.objects.members().count()
    # agency roles are refused, on the central host and on their own host
    for who, agency in (("alpha-admin", None), ("alpha-admin", federation.alpha)):
        r = gql(AGENCIES_Q, agency=agency, user=federation.user(who))
        assert r.data["agencies"] is None
        assert r.errors[0]["extensions"]["code"] == "FORBIDDEN"


def test_node_lookup_of_another_agency_returns_nothing(federation):
    beta_id = to_global_id("Agency", federation.beta.pk)
    q = "query($id: ID!) { node(id: $id) { ... on Agency { slug } } }"
    r = gql(q, {"id": beta_id}, agency=federation.alpha, user=federation.user("alpha-admin"))
    assert r.data["node"] is None
    r = gql(
        q,
        {"id": to_global_id("Agency", federation.alpha.pk)},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert r.data["node"] == {"slug": "alpha"}


def test_me_lists_only_the_callers_own_grants(federation):
    r = gql(ME_Q, agency=federation.alpha, user=federation.user("alpha-admin"))
    assert r.data["me"] == {
        "username": "alpha-admin",
        "roles": [{"role": "AGENCY_ADMIN", "agency": {"slug": "alpha"}}],
    }


SUSPEND = """mutation($id: ID!, $reason: String!) {
  suspendAgency(agency: $id, reason: $reason) { agency { state } errors { field code message } }
}"""
ONBOARD = """mutation($input: OnboardAgencyInput!) {
  onboardAgency(input: $input) { agency { slug } errors { field code message } }
}"""


@pytest.mark.parametrize("who", ["alpha-admin", "beta-admin", "cat", "fin", "desk"])
def test_only_platform_admins_may_change_agencies(federation, who):
    beta_id = to_global_id("Agency", federation.beta.pk)
    before = list(Agency.objects.order_by("pk").values_list("pk", "state"))
    for agency in (None, federation.alpha):
        r = gql(SUSPEND, {"id": beta_id, "reason": "x"}, agency=agency, user=federation.user(who))
        if r.status == 200:
            assert r.data["suspendAgency"]["agency"] is None
            assert r.data["suspendAgency"]["errors"][0]["code"] == "PERMISSION_DENIED"
        else:
            assert r.status == 403
        r = gql(
            ONBOARD,
            {"input": {"name": "X", "slug": "xray", "orgNumber": "2021998030"}},
            agency=agency,
            user=federation.user(who),
        )
        assert r.status == 403 or r.data["onboardAgency"]["errors"][0]["code"] == (
            "PERMISSION_DENIED"
        )
    assert list(Agency.objects.order_by("pk").values_list("pk", "state")) == before
    assert not Agency.objects.filter(slug="xray").exists()
    assert Agency.objects.get(pk=federation.beta.pk).state == AgencyState.ACTIVE


def test_onboard_agency_mutation_reports_each_bad_field(federation):
    r = gql(
        ONBOARD,
        {"input": {"name": "X", "slug": "public", "orgNumber": "123", "securityLevel": 9}},
        user=federation.user("root"),
    )
    errors = {(e["field"], e["code"]) for e in r.data["onboardAgency"]["errors"]}
    assert errors == {
        ("slug", "RESERVED"),
        ("orgNumber", "INVALID"),
        ("securityLevel", "OUT_OF_RANGE"),
    }
    assert r.data["onboardAgency"]["agency"] is None


def test_onboard_agency_mutation_creates_a_reachable_agency(federation):
    r = gql(
        ONBOARD,
        {"input": {"name": "Länsstyrelsen X", "slug": "xray", "orgNumber": "202199-8030"}},
        user=federation.user("root"),
    )
    assert r.data["onboardAgency"] == {"agency": {"slug": "xray"}, "errors": []}
    assert Client(HTTP_HOST="xray.localhost").get("/accounts/login/").status_code == 200
