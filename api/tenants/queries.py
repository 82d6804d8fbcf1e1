"""Queries of the agencies domain: me, agency, agencies, apiTokens."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from graphene_django import DjangoConnectionField
from graphql import GraphQLError

from api.core.permissions import host_agency, require_central, require_user, viewer
from api.tenants.types import AgencyNode, ApiTokenNode, MeType
from services.agencies import policies, tokens
from tenants.models import Agency


class ApiTokenScope(graphene.Enum):
    """Whose API tokens: OWN, the caller's; AGENCY, every token of the people of this host's
    agency (its admins only)."""

    OWN = "own"
    AGENCY = "agency"


class TenantsQueries(graphene.ObjectType):
    me = graphene.Field(MeType, description="The signed-in identity and its role grants.")
    agency = graphene.Field(
        AgencyNode, description="The agency of this host (null on the central host)."
    )
    agencies = DjangoConnectionField(
        AgencyNode, description="Member agencies (central roles only)."
    )
    api_tokens = DjangoConnectionField(
        ApiTokenNode,
        scope=ApiTokenScope(default_value="own"),
        description="Personal API tokens, newest first: the caller's own, or (scope AGENCY, "
        "on an agency's host) every token of that agency's people, for its admins.",
    )

    def resolve_me(self, info):
        return MeType.for_user(require_user(info))

    def resolve_agency(self, info):
        require_user(info)
        asker = viewer(info)
        return asker.agency if policies.is_member(asker) else None

    def resolve_agencies(self, info, **kwargs):
        require_central(info)
        return AgencyNode.get_queryset(
            Agency.objects.prefetch_related("domains").order_by("name"), info
        )

    def resolve_api_tokens(self, info, scope="own", **kwargs):
        user = require_user(info)
        of_agency = getattr(scope, "value", scope) == "agency"
        try:
            return tokens.visible_api_tokens(user, host_agency(info), of_agency=of_agency)
        except PermissionDenied as exc:
            raise GraphQLError(str(exc), extensions={"code": "FORBIDDEN"}) from exc
