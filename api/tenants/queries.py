"""Queries of the agencies domain: me, agency, agencies."""

from __future__ import annotations

import graphene
from graphene_django import DjangoConnectionField

from api.core.permissions import require_central, require_user, viewer
from api.tenants.types import AgencyNode, MeType
from services.agencies import policies
from tenants.models import Agency


class TenantsQueries(graphene.ObjectType):
    me = graphene.Field(MeType, description="The signed-in identity and its role grants.")
    agency = graphene.Field(
        AgencyNode, description="The agency of this host (null on the central host)."
    )
    agencies = DjangoConnectionField(
        AgencyNode, description="Member agencies (central roles only)."
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
