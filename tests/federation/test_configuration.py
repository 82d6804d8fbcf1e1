"""Configuring identity providers (issue 19, part 1 and 6): in the portal and in GraphQL, by
an agency's admins on its host and by central IT on the central host; checked whole, with
errors naming the field; nobody else sees or changes them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from services.agencies.federation.models import IdentityProvider
from services.audit.models import AuditEvent
from tests.graphql import gql, host_of

pytestmark = pytest.mark.django_db

OIDC = {
    "kind": "OIDC",
    "name": "Entra ID",
    "discoveryUrl": "https://login.microsoftonline.com/abc/v2.0",
    "clientId": "samnav",
    "clientSecretRef": "ALPHA_ENTRA_SECRET",
    "subjectClaim": "oid",
    "groupRoles": [{"group": "g-admins", "role": "agency_admin"}],
    "defaultRole": "agency_staff",
}
CREATE = """mutation($input: NewProviderInput!, $agency: ID) {
  createIdentityProvider(input: $input, agency: $agency) {
    errors { field code message }
    identityProvider { id key name redirectUri signInUrl groupRoles { group role } }
  }
}"""


def _client(federation, user: str, agency=None) -> Client:
    client = Client(HTTP_HOST=host_of(agency))
    client.force_login(federation.user(user))
    return client


def test_an_agency_admin_configures_entra_id_in_graphql(federation):
    answer = gql(
        CREATE, {"input": OIDC}, agency=federation.alpha, user=federation.user("alpha-admin")
    )
    payload = answer.data["createIdentityProvider"]
    assert payload["errors"] == [] and not answer.errors, answer.body
    idp = payload["identityProvider"]
    assert idp["key"] == "alpha-entra-id"
    assert (
        idp["redirectUri"] == "http://alpha.localhost/accounts/oidc/alpha-entra-id/login/callback/"
    )
    assert idp["groupRoles"] == [{"group": "g-admins", "role": "agency_admin"}]
    assert AuditEvent.objects.filter(action="federation.provider_created").exists()
    listed = gql(
        "{ identityProviders { name } }",
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert listed.data["identityProviders"] == [{"name": "Entra ID"}]
    for user, agency in (("beta-admin", federation.beta), ("alpha-staff", federation.alpha)):
        seen = gql("{ identityProviders { name } }", agency=agency, user=federation.user(user))
        assert seen.data["identityProviders"] == []
    central = gql("{ identityProviders { name agencyName } }", user=federation.user("root"))
    assert central.data["identityProviders"] == [
        {"name": "Entra ID", "agencyName": "Länsstyrelsen Alfa"}
    ]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"clientSecretRef": "my secret!"}, "clientSecretRef", "INVALID"),
        ({"discoveryUrl": "ftp://x"}, "discoveryUrl", "INVALID"),
        ({"clientId": ""}, "clientId", "REQUIRED"),
        ({"defaultRole": "platform_admin"}, "defaultRole", "INVALID"),
        ({"groupRoles": [{"group": "g", "role": "finance"}]}, "groupRoles", "INVALID"),
        (
            {"kind": "SAML", "entityId": "https://idp", "metadataXml": "<nope/>"},
            "metadataXml",
            "INVALID",
        ),
        ({"kind": "SAML", "entityId": "https://idp"}, "metadataUrl", "REQUIRED"),
    ],
)
def test_bad_configuration_names_the_field_and_writes_nothing(federation, change, field, code):
    answer = gql(
        CREATE,
        {"input": OIDC | change},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    errors = answer.data["createIdentityProvider"]["errors"]
    assert {(e["field"], e["code"]) for e in errors} >= {(field, code)}, errors
    assert not IdentityProvider.objects.exists()


def test_an_agency_provider_never_grants_a_central_role_and_nobody_else_configures_it(federation):
    created = gql(
        CREATE, {"input": OIDC}, agency=federation.alpha, user=federation.user("alpha-admin")
    )
    idp_id = created.data["createIdentityProvider"]["identityProvider"]["id"]
    update = """mutation($p: ID!, $i: ProviderUpdateInput!) {
      updateIdentityProvider(provider: $p, input: $i) {
        errors { field code } identityProvider { name } } }"""
    refused = gql(
        update,
        {"p": idp_id, "i": {"defaultRole": "platform_admin"}},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert refused.data["updateIdentityProvider"]["errors"] == [
        {"field": "defaultRole", "code": "INVALID"}
    ]
    for user, agency in (
        ("beta-admin", federation.beta),
        ("alpha-staff", federation.alpha),
        ("desk", None),
    ):
        answer = gql(
            update, {"p": idp_id, "i": {"name": "Taken"}}, agency=agency, user=federation.user(user)
        )
        assert answer.data["updateIdentityProvider"]["errors"], user
    assert IdentityProvider.objects.get().name == "Entra ID"
    # Central IT configures it for the agency, on the central host.
    done = gql(update, {"p": idp_id, "i": {"name": "Entra"}}, user=federation.user("root"))
    assert done.data["updateIdentityProvider"]["errors"] == []


def test_central_it_adds_a_provider_for_an_agency_and_its_own(federation):
    root = federation.user("root")
    answer = gql(
        CREATE, {"input": OIDC, "agency": to_global_id("Agency", federation.beta.pk)}, user=root
    )
    assert answer.data["createIdentityProvider"]["identityProvider"]["key"] == "beta-entra-id"
    own = OIDC | {"defaultRole": "", "groupRoles": [{"group": "it", "role": "service_desk_agent"}]}
    answer = gql(CREATE, {"input": own}, user=root)
    assert answer.data["createIdentityProvider"]["errors"] == []
    assert answer.data["createIdentityProvider"]["identityProvider"]["signInUrl"].startswith(
        "http://localhost/accounts/oidc/public-entra-id/"
    )


def test_the_portal_page_adds_and_switches_off_a_provider(federation):
    admin = _client(federation, "alpha-admin", federation.alpha)
    assert admin.get("/identity/").status_code == 200
    form = {
        "name": "Sweden Connect",
        "entity_id": "https://idp.example/saml",
        "metadata_url": "https://idp.example/saml/metadata",
        "group_roles": "staff = agency_staff\nadmins = agency_admin",
        "default_role": "",
        "creates_people": "on",
    }
    added = admin.post("/identity/add/saml/", form)
    assert added.status_code == 302, added.content[:500]
    idp = IdentityProvider.objects.get()
    assert idp.group_roles == {"staff": "agency_staff", "admins": "agency_admin"}
    page = admin.get(added["Location"]).content.decode()
    assert f"http://alpha.localhost/accounts/saml/{idp.key}/metadata/" in page
    assert (
        "Sweden Connect"
        in Client(HTTP_HOST=host_of(federation.alpha)).get("/accounts/login/").content.decode()
    )
    bad = admin.post("/identity/add/saml/", form | {"group_roles": "no equals sign"})
    assert bad.status_code == 200
    assert "Line 1: write group = role." in bad.content.decode()
    admin.post(f"/identity/{idp.pk}/switch/", {"active": "0"})
    assert (
        "Sweden Connect"
        not in Client(HTTP_HOST=host_of(federation.alpha)).get("/accounts/login/").content.decode()
    )
    assert _client(federation, "alpha-staff", federation.alpha).get("/identity/").status_code == 403
    assert (
        _client(federation, "beta-admin", federation.beta).get(f"/identity/{idp.pk}/").status_code
        == 404
    )
    assert _client(federation, "root").get(f"/identity/{idp.pk}/").status_code == 200


def test_the_list_of_providers_keeps_its_number_of_queries(federation):
    query = "{ identityProviders { name signInUrl redirectUri } }"
    root = federation.user("root")
    gql(CREATE, {"input": OIDC, "agency": to_global_id("Agency", federation.alpha.pk)}, user=root)
    with CaptureQueriesContext(connection) as one:
        gql(query, user=root)
    for agency in (federation.beta, federation.alpha):
        gql(CREATE, {"input": OIDC, "agency": to_global_id("Agency", agency.pk)}, user=root)
    with CaptureQueriesContext(connection) as three:
        answer = gql(query, user=root)
    assert len(answer.data["identityProviders"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)
