"""GraphQL types of the agencies domain."""

from __future__ import annotations

import graphene
from graphene import relay

from api.core.types import CountedConnection, SamnavObjectType
from services.agencies import policies
from tenants.models import Agency, AgencyState, ApiToken, User
from tenants.roles import Role

AgencyStateEnum = graphene.Enum.from_enum(AgencyState, name="AgencyState")
RoleEnum = graphene.Enum.from_enum(Role, name="Role")


class AgencyNode(SamnavObjectType):
    state = graphene.Field(AgencyStateEnum, required=True)
    domain = graphene.String(description="The agency's primary host name.")

    class Meta:
        model = Agency
        name = "Agency"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "name",
            "slug",
            "org_number",
            "security_level",
            "availability_level",
            "headcount",
            "state",
            "is_demo",
            "created_at",
        )

    policy = staticmethod(policies.agencies)

    def resolve_state(self, info):
        return self.state

    def resolve_domain(self, info):
        # Prefetched by the `agencies` query: no query per row.
        domains = [d for d in self.domains.all() if d.is_primary]
        return domains[0].domain if domains else None


class RoleGrantType(graphene.ObjectType):
    role = graphene.Field(RoleEnum, required=True)
    agency = graphene.Field(AgencyNode)


class MeType(graphene.ObjectType):
    username = graphene.String(required=True)
    roles = graphene.List(graphene.NonNull(RoleGrantType), required=True)

    @staticmethod
    def for_user(user: User) -> MeType:
        grants = user.grants.select_related("agency").order_by("agency_id", "role")
        return MeType(
            username=user.username,
            roles=[RoleGrantType(role=g.role, agency=g.agency) for g in grants],
        )


class ApiTokenNode(SamnavObjectType):
    """A personal API token, as its owner and the agency's admins see it: never the token nor
    its digest, only the first characters (`prefix`) to recognise it by."""

    owner = graphene.String(required=True, description="The username of the token's owner.")
    active = graphene.Boolean(
        required=True, description="Neither revoked nor expired: it signs in API calls."
    )

    class Meta:
        model = ApiToken
        name = "ApiToken"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")

    policy = staticmethod(policies.api_tokens)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("user")

    def resolve_owner(self, info):
        return self.user.username

    def resolve_active(self, info):
        return self.is_active
