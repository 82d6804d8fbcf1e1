"""Groups map to roles (issue 19, part 2): SCIM provisions the directory's groups, and the
roles that an agency's identity providers map from groups follow membership at once, and at
every sign-in."""

from __future__ import annotations

import pytest
from django.test import Client

from tenants.models import RoleGrant, User
from tests.federation.conftest import ACCOUNTS
from tests.federation.helpers import SECRET_ENV, configure, oidc_sign_in
from tests.graphql import host_of
from tests.scim.helpers import scim, token_of

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ADMINS = "3f2a0c4e-admins"  # the directory's id of the group, as Entra ID sends it


def _roles(user: User, agency) -> set[str]:
    return set(RoleGrant.objects.filter(user=user, agency=agency).values_list("role", flat=True))


def test_scim_group_membership_grants_and_removes_the_mapped_role(federation, oidc):
    alpha = federation.alpha
    token = token_of(alpha)
    anna = ACCOUNTS["anna"]
    person = {"schemas": [USER], "userName": anna["email"], "displayName": anna["name"]}
    person_id = scim("POST", "Users", person | {"externalId": "anna"}, agency=alpha, token=token)
    person_id = person_id.body["id"]
    idp = configure(
        federation.user("alpha-admin"),
        alpha,
        kind="oidc",
        name="Entra",
        discovery_url=oidc.discovery_url,
        client_id="samnav-alpha-entra",
        client_secret_ref=SECRET_ENV,
        group_roles={ADMINS: "agency_admin"},
        default_role="agency_staff",
    )
    host = host_of(alpha)
    oidc_sign_in(Client(HTTP_HOST=host), host, idp.key, "anna")
    user = User.objects.get(username=f"{idp.key}:anna")
    assert _roles(user, alpha) == {"agency_staff"}

    # The directory puts Anna in the admins' group: she is an admin at once.
    group = {"schemas": [GROUP], "displayName": "Samnav admins", "externalId": ADMINS}
    created = scim(
        "POST", "Groups", group | {"members": [{"value": person_id}]}, agency=alpha, token=token
    )
    assert created.status_code == 201, created.body
    assert created.body["members"][0]["value"] == person_id
    assert _roles(user, alpha) == {"agency_staff", "agency_admin"}
    # ...and stays one at her next sign-in, though the provider's token names no group.
    oidc_sign_in(Client(HTTP_HOST=host), host, idp.key, "anna")
    assert _roles(user, alpha) == {"agency_staff", "agency_admin"}

    # Entra ID's PATCH removes her from the group: the role goes.
    remove = {
        "schemas": [PATCH],
        "Operations": [{"op": "Remove", "path": f'members[value eq "{person_id}"]'}],
    }
    gid = created.body["id"]
    answer = scim("PATCH", f"Groups/{gid}", remove, agency=alpha, token=token)
    assert answer.status_code == 200, answer.body
    assert _roles(user, alpha) == {"agency_staff"}

    listed = scim("GET", f'Groups?filter=externalId eq "{ADMINS}"', agency=alpha, token=token)
    assert [g["displayName"] for g in listed.body["Resources"]] == ["Samnav admins"]


def test_a_group_holds_only_its_own_agencys_people(federation):
    alpha_token, beta_token = token_of(federation.alpha), token_of(federation.beta)
    person = {"schemas": [USER], "userName": "ada@alpha.example", "displayName": "Ada"}
    ada = scim("POST", "Users", person, agency=federation.alpha, token=alpha_token).body["id"]
    group = {"schemas": [GROUP], "displayName": "Beta staff", "members": [{"value": ada}]}
    refused = scim("POST", "Groups", group, agency=federation.beta, token=beta_token)
    assert refused.status_code == 400 and "members" in refused.body["detail"]
    assert scim("GET", "Groups", agency=federation.beta, token=beta_token).body["totalResults"] == 0
    # nor does alpha's token reach beta's groups
    assert scim("GET", "Groups", agency=federation.beta, token=alpha_token).status_code == 401
