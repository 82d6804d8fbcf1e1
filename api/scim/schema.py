"""GraphQL of an agency's SCIM tokens (agency host, its admins): scimTokens, createScimToken,
revokeScimToken. The token itself is shown once, by createScimToken."""

from __future__ import annotations

import graphene
from graphene import relay

from api.core.permissions import current_user
from api.core.refs import agency_of_host, local_id
from api.core.types import SamnavObjectType
from api.people.mutations import PeopleMutation
from services.people import policies
from services.people.scim import actions
from services.people.scim.models import ScimToken


class ScimTokenNode(SamnavObjectType):
    """A SCIM token of the agency, as its admins see it: never the token nor its digest, only
    its first characters (`prefix`) to recognise it by."""

    active = graphene.Boolean(
        required=True, description="Neither revoked nor expired: it provisions the register."
    )

    class Meta:
        model = ScimToken
        name = "ScimToken"
        interfaces = (relay.Node,)
        fields = ("id", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")

    policy = staticmethod(policies.scim_tokens)

    def resolve_active(self, info):
        return self.usable()


class ScimQueries(graphene.ObjectType):
    scim_tokens = graphene.List(
        graphene.NonNull(ScimTokenNode),
        required=True,
        description="The SCIM tokens of the agency whose host this is, newest first (its admins).",
    )

    def resolve_scim_tokens(self, info):
        return ScimTokenNode.get_queryset(ScimToken.objects.order_by("-created_at", "-id"), info)


class CreateScimToken(PeopleMutation):
    """A new SCIM token for the agency's identity provider. The token is shown only here."""

    class Arguments:
        name = graphene.String(required=True, description="What uses it, e.g. Entra ID.")

    token = graphene.String(description="Send as `Authorization: Bearer TOKEN`. Shown once.")
    scim_token = graphene.Field(ScimTokenNode)

    @classmethod
    def perform(cls, info, name):
        token, raw = actions.create_token(agency_of_host(info), current_user(info), name)
        return {"token": raw, "scim_token": token}


class RevokeScimToken(PeopleMutation):
    """Revoke a SCIM token of the agency now; it stays listed."""

    class Arguments:
        token = graphene.ID(required=True, description="The token's id (from scimTokens).")

    scim_token = graphene.Field(ScimTokenNode)

    @classmethod
    def perform(cls, info, token):
        pk = local_id(token, "ScimToken", "token")
        revoked = actions.revoke_token(agency_of_host(info), current_user(info), pk)
        return {"scim_token": revoked}


class ScimMutations(graphene.ObjectType):
    create_scim_token = CreateScimToken.Field()
    revoke_scim_token = RevokeScimToken.Field()
