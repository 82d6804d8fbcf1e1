"""The root schema, composed by inheritance in one place (design.md §3)."""

import graphene
from graphene import relay

from api.tenants.mutations import TenantsMutations
from api.tenants.queries import TenantsQueries


class Query(TenantsQueries, graphene.ObjectType):
    node = relay.Node.Field()


class Mutation(TenantsMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
