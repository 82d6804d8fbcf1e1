"""Personal API tokens: issued once, stored as a digest, revocable, bound to the owner's roles."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from services.agencies.tokens import issue_api_token, revoke_api_token
from tenants.models import ApiToken
from tests.graphql import gql

pytestmark = pytest.mark.django_db

ME = "{ me { username } }"
ISSUE = "mutation { issueApiToken(name: %s) { token errors { field code message } } }"
BAD_TOKEN_BODY = {
    "data": None,
    "errors": [
        {
            "message": "The API token is invalid or revoked.",
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ],
}


def _command_token(username: str, *args: str) -> str:
    out = StringIO()
    call_command("issue_api_token", username, *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_prints_a_token_stored_only_as_its_digest(federation):
    # given an identity without tokens
    user = federation.user("cat")
    assert ApiToken.objects.filter(user=user).count() == 0
    # when the command issues one
    raw = _command_token("cat", "--name", "ci")
    # then it prints an snv_ token, and the one stored row holds only its SHA-256 digest
    assert raw.startswith("snv_")
    assert len(raw) == 4 + 43  # the prefix and 32 random bytes, URL-safe base64
    token = ApiToken.objects.get(user=user)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.name == "ci"
    assert token.prefix == raw[:12]
    row = model_to_dict(token)
    assert all(raw not in str(value) for value in row.values())
    assert set(row) == {
        "id",
        "user",
        "name",
        "prefix",
        "digest",
        "created_at",
        "last_used_at",
        "revoked_at",
        "expires_at",
    }


def test_a_token_from_the_command_signs_requests_in(federation):
    # given a token from the command
    raw = _command_token("cat")
    assert ApiToken.objects.get(user=federation.user("cat")).last_used_at is None
    # when a request sends it
    response = gql(ME, token=raw)
    # then the request is signed in as its owner, and the use is recorded
    assert response.status == 200
    assert response.data == {"me": {"username": "cat"}}
    assert ApiToken.objects.get(user=federation.user("cat")).last_used_at is not None


def test_the_command_refuses_an_unknown_username(federation):
    # given a username nobody has
    before = ApiToken.objects.count()
    # when the command is asked for a token
    with pytest.raises(CommandError) as raised:
        _command_token("ghost")
    # then the error names the username, and nothing is created
    assert "ghost" in str(raised.value)
    assert str(raised.value).startswith("username:")
    assert ApiToken.objects.count() == before


def test_the_mutation_issues_a_working_token_to_a_signed_in_user(federation):
    # given a session-signed-in identity
    user = federation.user("desk")
    # when it asks for a token
    response = gql(ISSUE % '"laptop"', user=user)
    # then it gets one that works on its own, without the session
    assert response.status == 200
    payload = response.data["issueApiToken"]
    assert payload["errors"] == []
    raw = payload["token"]
    assert raw.startswith("snv_")
    token = ApiToken.objects.get(user=user)
    assert (token.name, token.digest) == ("laptop", hashlib.sha256(raw.encode()).hexdigest())
    assert gql(ME, token=raw).data == {"me": {"username": "desk"}}


def test_the_mutation_refuses_an_anonymous_caller_and_creates_nothing(federation):
    # given nobody signed in
    before = ApiToken.objects.count()
    # when a token is asked for
    response = gql(ISSUE % '"x"')
    # then the payload carries a permission error and no token, and nothing is stored
    assert response.status == 200
    payload = response.data["issueApiToken"]
    assert payload["token"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(None, "PERMISSION_DENIED")]
    assert ApiToken.objects.count() == before


def test_a_revoked_token_gets_401(federation):
    # given a token that worked, then was revoked
    raw, token = issue_api_token(federation.user("fin"))
    assert gql(ME, token=raw).data == {"me": {"username": "fin"}}
    revoke_api_token(token)
    # when it is sent again
    response = gql(ME, token=raw)
    # then it is refused with a clear message
    assert response.status == 401
    assert response.body == BAD_TOKEN_BODY


@pytest.mark.parametrize("raw", ["garbage", "snv_" + "x" * 43, ""])
def test_a_garbage_token_gets_401(federation, raw):
    response = gql(ME, token=raw)
    assert response.status == 401
    assert response.body == BAD_TOKEN_BODY


def test_a_token_of_a_deactivated_identity_gets_401(federation):
    user = federation.user("tech")
    raw, _token = issue_api_token(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = gql(ME, token=raw)
    assert response.status == 401
    assert response.body == BAD_TOKEN_BODY


def test_an_agency_admin_token_works_on_its_own_agency_host_only(federation):
    # given a token of alpha's admin
    raw, _token = issue_api_token(federation.user("alpha-admin"))
    query = "{ me { username } agency { slug } }"
    # when it is used on alpha's host
    own = gql(query, agency=federation.alpha, token=raw)
    # then it reads alpha
    assert own.status == 200
    assert own.data == {"me": {"username": "alpha-admin"}, "agency": {"slug": "alpha"}}
    # when it is used on beta's host
    other = gql(query, agency=federation.beta, token=raw)
    # then it is refused with no data
    assert other.status == 403
    assert other.body == {
        "data": None,
        "errors": [
            {"message": "You have no role in this agency.", "extensions": {"code": "FORBIDDEN"}}
        ],
    }


def test_an_agency_admin_token_sees_no_agency_list_on_the_central_host(federation):
    # given a token of alpha's admin
    raw, _token = issue_api_token(federation.user("alpha-admin"))
    # when it asks the central host for the agency list
    response = gql("{ agencies { edges { node { slug } } } }", token=raw)
    # then the field is refused and no agency is listed
    assert response.data == {"agencies": None}
    assert [(e["message"], e["extensions"]) for e in response.errors] == [
        ("This needs a central IT role, on the central host.", {"code": "FORBIDDEN"})
    ]


def test_a_token_does_not_sign_in_pages(federation, db):
    from django.test import Client

    from services.agencies.tokens import issue_api_token

    raw, _ = issue_api_token(federation.user("root"))
    # given a valid platform admin's token, when it is sent to a page
    page = Client(HTTP_HOST="localhost").get("/admin/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    # then the page treats the caller as anonymous (a redirect to sign in)
    assert page.status_code == 302
    assert "/login/" in page["Location"]
