"""Issue 19's "done when": people of two agencies, provisioned by each agency's directory over
SCIM, sign in through each kind of identity provider, each into their own agency only; and a
person the directory deprovisions can no longer sign in."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django_tenants.utils import tenant_context

from services.people.models import Person
from tenants.models import RoleGrant, User
from tests.federation.conftest import ACCOUNTS
from tests.federation.helpers import SECRET_ENV, configure, oidc_sign_in, saml_sign_in
from tests.graphql import host_of
from tests.scim.helpers import scim, token_of

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
PEOPLE = {"alpha": "anna", "beta": "bo"}


def _provision(agency, login: str) -> tuple[str, str]:
    """SCIM creates the person, with the provider's subject as external id."""
    token = token_of(agency)
    claims = ACCOUNTS[login]
    body = {
        "schemas": [USER],
        "userName": claims["email"],
        "displayName": claims["name"],
        "externalId": login,
        "active": True,
    }
    created = scim("POST", "Users", body, agency=agency, token=token)
    assert created.status_code == 201, created.body
    return created.body["id"], token


def _providers(federation, agency, oidc, saml_idp):
    admin = federation.user(f"{agency.slug}-admin")
    mapping = {"default_role": "agency_staff", "creates_people": False}
    by_oidc = configure(
        admin,
        agency,
        kind="oidc",
        name="Entra",
        discovery_url=oidc.discovery_url,
        client_id=f"samnav-{agency.slug}-entra",
        client_secret_ref=SECRET_ENV,
        **mapping,
    )
    by_saml = configure(
        admin,
        agency,
        kind="saml",
        name="Sweden Connect",
        entity_id=saml_idp.entity_id,
        metadata_url=saml_idp.metadata_url,
        **mapping,
    )
    metadata = Client(HTTP_HOST=host_of(agency)).get(f"/accounts/saml/{by_saml.key}/metadata/")
    saml_idp.trust(metadata.content.decode())
    return by_oidc, by_saml


def _people_seen(client: Client) -> set[str]:
    answer = client.post(
        "/graphql/", {"query": "{ myDetails { name email } }"}, content_type="application/json"
    )
    return answer


def test_two_agencies_each_kind_of_provider_scim_provisioned_and_isolated(
    federation, oidc, saml_idp
):
    sessions: dict[tuple[str, str], Client] = {}
    for agency in (federation.alpha, federation.beta):
        login = PEOPLE[agency.slug]
        person_id, token = _provision(agency, login)
        by_oidc, by_saml = _providers(federation, agency, oidc, saml_idp)
        host = host_of(agency)

        via_oidc = Client(HTTP_HOST=host)
        answer, _ = oidc_sign_in(via_oidc, host, by_oidc.key, login)
        assert answer.status_code == 302, answer.content[:300]
        via_saml = Client(HTTP_HOST=host)
        attributes = {"mail": [ACCOUNTS[login]["email"]], "displayName": [ACCOUNTS[login]["name"]]}
        answer = saml_sign_in(via_saml, saml_idp, by_saml.key, subject=login, attributes=attributes)
        assert answer.status_code == 302, answer.content[:300]

        # Both sign-ins found the person SCIM provisioned, and so one identity: the second
        # provider's subject is linked to the identity the first one created.
        user = User.objects.get(username=f"{by_oidc.key}:{login}")
        assert not User.objects.filter(username=f"{by_saml.key}:{login}").exists()
        linked = SocialAccount.objects.filter(user=user).values_list("provider", "uid")
        assert set(linked) == {(by_oidc.key, login), (by_saml.key, login)}
        with tenant_context(agency):
            assert Person.objects.get(pk=person_id).user_id == user.pk
            assert Person.objects.filter(user_id=user.pk).count() == 1
        grants = set(RoleGrant.objects.filter(user=user).values_list("role", "agency_id"))
        assert grants == {("agency_staff", agency.pk)}
        sessions[(agency.slug, "oidc")] = via_oidc
        sessions[(agency.slug, "saml")] = via_saml
        details = _people_seen(via_oidc).json()
        assert details["data"]["myDetails"]["email"] == ACCOUNTS[login]["email"], details

    # Neither agency's people reach the other agency: not its pages, not its API, not its
    # providers.
    for (slug, _kind), session in sessions.items():
        other = federation.beta if slug == "alpha" else federation.alpha
        elsewhere = Client(HTTP_HOST=host_of(other))
        elsewhere.cookies = session.cookies
        assert elsewhere.get("/").status_code == 403
        assert elsewhere.get("/people/").status_code == 403
        answer = elsewhere.post(
            "/graphql/", {"query": "{ people { id name } }"}, content_type="application/json"
        )
        assert answer.status_code == 403 and answer.json()["data"] is None
    on_alpha = Client(HTTP_HOST=host_of(federation.alpha))
    assert on_alpha.post("/accounts/oidc/beta-entra/login/").status_code == 404
    assert on_alpha.post("/accounts/saml/beta-sweden-connect/login/").status_code == 404


def test_a_person_the_directory_deprovisions_cannot_sign_in(federation, oidc, saml_idp):
    agency = federation.alpha
    person_id, token = _provision(agency, "anna")
    by_oidc, _by_saml = _providers(federation, agency, oidc, saml_idp)
    host = host_of(agency)
    answer, _ = oidc_sign_in(Client(HTTP_HOST=host), host, by_oidc.key, "anna")
    assert answer.status_code == 302
    user = User.objects.get(username=f"{by_oidc.key}:anna")

    off = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]}
    assert scim("PATCH", f"Users/{person_id}", off, agency=agency, token=token).status_code == 200
    user.refresh_from_db()
    assert not user.is_active and not RoleGrant.objects.filter(user=user).exists()

    again = Client(HTTP_HOST=host)
    answer, _ = oidc_sign_in(again, host, by_oidc.key, "anna")
    assert answer.status_code == 403 and "_auth_user_id" not in again.session

    # The directory takes her back: she signs in again, with her roles.
    on = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": True}]}
    assert scim("PATCH", f"Users/{person_id}", on, agency=agency, token=token).status_code == 200
    answer, _ = oidc_sign_in(Client(HTTP_HOST=host), host, by_oidc.key, "anna")
    assert answer.status_code == 302
    assert RoleGrant.objects.filter(user=user, agency=agency).exists()


def test_without_just_in_time_creation_only_the_register_signs_in(federation, oidc, saml_idp):
    agency = federation.alpha
    by_oidc, _ = _providers(federation, agency, oidc, saml_idp)
    host = host_of(agency)
    answer, _ = oidc_sign_in(Client(HTTP_HOST=host), host, by_oidc.key, "cecilia")
    assert answer.status_code == 403
    assert not User.objects.filter(username=f"{by_oidc.key}:cecilia").exists()
