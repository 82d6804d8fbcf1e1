"""An agency's SCIM tokens: created, listed and revoked by its admins on its host (GraphQL),
or by an operator (manage.py create_scim_token); only the digest is stored."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from services.audit.models import AuditEvent
from services.people.scim.models import ScimToken
from tenants.models import hash_token
from tests.graphql import gql
from tests.scim.helpers import scim

pytestmark = pytest.mark.django_db

CREATE = """mutation($n: String!) { createScimToken(name: $n) {
  token scimToken { id name prefix active } errors { field code message } } }"""
REVOKE = """mutation($t: ID!) { revokeScimToken(token: $t) {
  scimToken { active revokedAt } errors { field code } } }"""
LIST = "{ scimTokens { id name active } }"


def test_an_admin_creates_lists_and_revokes_a_token_shown_once(federation):
    alpha, admin = federation.alpha, federation.user("alpha-admin")
    r = gql(CREATE, {"n": "Entra ID"}, agency=alpha, user=admin)
    payload = r.data["createScimToken"]
    assert payload["errors"] == [] and payload["scimToken"]["active"] is True
    raw = payload["token"]
    with schema_context(alpha.schema_name):
        stored = ScimToken.objects.get()
        assert stored.digest == hash_token(raw) and raw not in str(stored.__dict__)
    assert scim("GET", "Users", agency=alpha, token=raw).status_code == 200
    listed = gql(LIST, agency=alpha, user=admin).data["scimTokens"]
    assert [t["name"] for t in listed] == ["Entra ID"] and "token" not in listed[0]
    r = gql(REVOKE, {"t": payload["scimToken"]["id"]}, agency=alpha, user=admin)
    assert r.data["revokeScimToken"]["scimToken"]["active"] is False
    assert scim("GET", "Users", agency=alpha, token=raw).status_code == 401
    again = gql(REVOKE, {"t": payload["scimToken"]["id"]}, agency=alpha, user=admin)
    assert again.data["revokeScimToken"]["errors"] == [{"field": "token", "code": "INVALID_STATE"}]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"people.scim_token.created", "people.scim_token.revoked"} <= actions


@pytest.mark.parametrize(
    ("user", "host"),
    [("alpha-staff", "alpha"), ("beta-admin", "alpha"), ("root", None), ("alpha-admin", None)],
)
def test_nobody_else_creates_or_sees_an_agencys_tokens(federation, user, host):
    agency = getattr(federation, host) if host else None
    r = gql(CREATE, {"n": "x"}, agency=agency, user=federation.user(user))
    assert r.status in (200, 403)
    if r.status == 200:
        payload = r.data["createScimToken"]
        assert payload["token"] is None
        assert payload["errors"][0]["code"] == "PERMISSION_DENIED"
        listed = gql(LIST, agency=agency, user=federation.user(user))
        assert (listed.data or {}).get("scimTokens") in (None, [])
    for agency_ in (federation.alpha, federation.beta):
        with schema_context(agency_.schema_name):
            assert not ScimToken.objects.exists()


def test_a_token_of_one_agency_cannot_be_revoked_from_another(federation):
    r = gql(CREATE, {"n": "IdP"}, agency=federation.alpha, user=federation.user("alpha-admin"))
    token_id = r.data["createScimToken"]["scimToken"]["id"]
    r = gql(REVOKE, {"t": token_id}, agency=federation.beta, user=federation.user("beta-admin"))
    assert r.data["revokeScimToken"]["errors"] == [{"field": "token", "code": "NOT_FOUND"}]
    with schema_context(federation.alpha.schema_name):
        assert ScimToken.objects.get().revoked_at is None


def test_bad_names_and_ids_name_the_field(federation):
    admin = federation.user("alpha-admin")
    r = gql(CREATE, {"n": "  "}, agency=federation.alpha, user=admin)
    assert r.data["createScimToken"]["errors"][0]["field"] == "name"
    r = gql(REVOKE, {"t": "nonsense"}, agency=federation.alpha, user=admin)
    assert r.data["revokeScimToken"]["errors"][0]["field"] == "token"


def test_the_command_prints_a_working_token_once(federation):
    out = io.StringIO()
    call_command("create_scim_token", "alpha", "Okta", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("scim_")
    assert scim("GET", "Users", agency=federation.alpha, token=raw).status_code == 200
    with pytest.raises(CommandError):
        call_command("create_scim_token", "nosuch", "x", stdout=io.StringIO())
