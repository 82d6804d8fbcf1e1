"""API tokens expire, say when they were last used, and are listed and revoked by their owner
and by the admins of their owner's agency, on its host (issue 19)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from graphql_relay import to_global_id

from services.agencies import actions, policies
from services.agencies.tokens import issue_api_token, revoke_api_token
from services.audit.models import AuditEvent
from tenants.models import ApiToken
from tenants.viewer import Viewer
from tests.graphql import gql

pytestmark = pytest.mark.django_db

ME = "{ me { username } }"
LIST = """query($scope: ApiTokenScope) { apiTokens(scope: $scope) { totalCount edges { node {
  id name prefix owner createdAt lastUsedAt expiresAt revokedAt active } } } }"""
REVOKE = """mutation($token: ID!) { revokeApiToken(token: $token) {
  apiToken { id revokedAt active } errors { field code message } } }"""


def _id(token: ApiToken) -> str:
    return to_global_id("ApiToken", token.pk)


def _listed(response) -> list[dict]:
    assert response.errors == [], response.body
    return [edge["node"] for edge in response.data["apiTokens"]["edges"]]


def test_a_token_expires_after_the_configured_days(federation):
    cat = federation.user("cat")
    _raw, token = issue_api_token(cat, "default")
    assert token.expires_at - token.created_at == dt.timedelta(days=90)
    with override_settings(SAMNAV_API_TOKEN_DAYS=7):
        _raw, token = issue_api_token(cat, "a week")
    assert token.expires_at - token.created_at == dt.timedelta(days=7)
    issued = AuditEvent.objects.get(action="api_token.issued", object_id=str(token.pk))
    assert issued.changes["expires_at"] == token.expires_at.isoformat()


def test_an_expired_token_is_refused_exactly_as_a_revoked_one(federation):
    expired_raw, expired = issue_api_token(federation.user("alpha-staff"))
    revoked_raw, revoked = issue_api_token(federation.user("alpha-staff"))
    assert gql(ME, agency=federation.alpha, token=expired_raw).status == 200
    # when one expires (issued 91 days ago) and the other is revoked
    long_ago = timezone.now() - dt.timedelta(days=91)
    ApiToken.objects.filter(pk=expired.pk).update(
        created_at=long_ago, expires_at=long_ago + dt.timedelta(days=90)
    )
    assert revoke_api_token(revoked)
    # then both get the same refusal, on every host
    for agency in (federation.alpha, None):
        answers = [gql(ME, agency=agency, token=raw) for raw in (expired_raw, revoked_raw)]
        assert answers[0].status == answers[1].status == 401
        assert answers[0].body == answers[1].body
        assert answers[0].errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    # and the expired one is listed as such, not active
    rows = _listed(gql(LIST, user=federation.user("alpha-staff")))
    [row] = [r for r in rows if r["id"] == _id(expired)]
    assert row["active"] is False and row["revokedAt"] is None and row["expiresAt"]


def test_an_owner_lists_and_revokes_their_own_token(federation):
    staff = federation.user("alpha-staff")
    raw, token = issue_api_token(staff, "laptop")
    issue_api_token(federation.user("alpha-admin"), "not theirs")
    gql(ME, agency=federation.alpha, token=raw)  # used once
    # the owner sees their own token (on their agency's host and on the central host)
    for agency in (federation.alpha, None):
        [row] = _listed(gql(LIST, agency=agency, user=staff))
        assert row["id"] == _id(token) and row["name"] == "laptop"
        assert row["owner"] == "alpha-staff" and row["prefix"] == raw[:12]
        assert row["lastUsedAt"] and row["expiresAt"] and row["active"] is True
        assert raw not in str(row) and token.digest not in str(row)
    # and revokes it
    response = gql(REVOKE, {"token": _id(token)}, agency=federation.alpha, user=staff)
    payload = response.data["revokeApiToken"]
    assert payload["errors"] == [] and payload["apiToken"]["active"] is False
    assert gql(ME, agency=federation.alpha, token=raw).status == 401
    event = AuditEvent.objects.get(action="api_token.revoked", object_id=str(token.pk))
    assert event.actor_id == staff.pk and event.changes["owner"] == staff.pk
    # revoking it again changes nothing, and says so
    payload = gql(REVOKE, {"token": _id(token)}, user=staff).data["revokeApiToken"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("token", "INVALID_STATE")]


def test_the_schema_never_offers_the_digest(federation):
    response = gql('{ __type(name: "ApiToken") { fields { name } } }')
    names = {f["name"] for f in response.data["__type"]["fields"]}
    assert "digest" not in names and {"prefix", "expiresAt", "lastUsedAt", "owner"} <= names


def test_an_agency_admin_lists_and_revokes_their_agencys_tokens_only(federation):
    admin = federation.user("alpha-admin")
    _raw, staff_token = issue_api_token(federation.user("alpha-staff"), "staff")
    beta_raw, beta_token = issue_api_token(federation.user("beta-staff"), "beta")
    _root_raw, root_token = issue_api_token(federation.user("root"), "central")
    # the admin lists their agency's people's tokens, on its host
    rows = _listed(gql(LIST, {"scope": "AGENCY"}, agency=federation.alpha, user=admin))
    assert {r["id"] for r in rows} == {_id(staff_token)}
    # not on the central host, nor on another agency's
    for agency in (None, federation.beta):
        response = gql(LIST, {"scope": "AGENCY"}, agency=agency, user=admin)
        assert response.data is None or not response.data.get("apiTokens")
    # revokes the staff's token
    response = gql(REVOKE, {"token": _id(staff_token)}, agency=federation.alpha, user=admin)
    assert response.data["revokeApiToken"]["errors"] == []
    staff_token.refresh_from_db()
    assert staff_token.revoked_at is not None
    event = AuditEvent.objects.get(action="api_token.revoked", object_id=str(staff_token.pk))
    assert event.actor_id == admin.pk and event.agency_id == federation.alpha.pk
    # but not another agency's person's, nor central IT's: unknown to them
    for other in (beta_token, root_token):
        for agency in (federation.alpha, None):
            response = gql(REVOKE, {"token": _id(other)}, agency=agency, user=admin)
            errors = response.data["revokeApiToken"]["errors"]
            assert [(e["field"], e["code"]) for e in errors] == [("token", "NOT_FOUND")]
    assert gql(ME, agency=federation.beta, token=beta_raw).status == 200


def test_a_staff_member_revokes_no_one_elses_token(federation):
    staff = federation.user("alpha-staff")
    admin_raw, admin_token = issue_api_token(federation.user("alpha-admin"))
    response = gql(LIST, {"scope": "AGENCY"}, agency=federation.alpha, user=staff)
    assert response.errors[0]["extensions"]["code"] == "FORBIDDEN"
    assert _listed(gql(LIST, agency=federation.alpha, user=staff)) == []
    response = gql(REVOKE, {"token": _id(admin_token)}, agency=federation.alpha, user=staff)
    errors = response.data["revokeApiToken"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("token", "NOT_FOUND")]
    assert gql(ME, agency=federation.alpha, token=admin_raw).status == 200
    # nor does a bad id get further than a field error
    response = gql(REVOKE, {"token": "not-an-id"}, agency=federation.alpha, user=staff)
    errors = response.data["revokeApiToken"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("token", "NOT_FOUND")]


def test_nobody_signed_out_and_no_suspended_agency_reaches_a_token(federation):
    _raw, token = issue_api_token(federation.user("alpha-staff"))
    response = gql(LIST)
    assert response.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    response = gql(REVOKE, {"token": _id(token)})
    assert response.data["revokeApiToken"]["errors"][0]["code"] == "PERMISSION_DENIED"
    # a suspended agency: its admin holds nothing, on its host or elsewhere
    actions.suspend_agency(None, federation.alpha.pk, "Token test")
    federation.alpha.refresh_from_db()
    admin = federation.user("alpha-admin")
    for agency in (federation.alpha, None):
        viewer = Viewer.of(admin, agency)
        assert not policies.lists_agency_api_tokens(viewer)
        assert not policies.api_tokens(viewer, ApiToken.objects.all()).exists()
    response = gql(REVOKE, {"token": _id(token)}, agency=federation.alpha, user=admin)
    assert response.status == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
