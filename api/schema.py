"""The root schema, composed by inheritance in one place (design.md §3)."""

import graphene
from graphene import relay

from api.catalogue.mutations import CatalogueMutations
from api.catalogue.queries import CatalogueQueries
from api.ordering.mutations import OrderingMutations
from api.ordering.queries import OrderingQueries
from api.tenants.mutations import TenantsMutations
from api.tenants.queries import TenantsQueries


class Query(
    TenantsQueries,
    CatalogueQueries,
    OrderingQueries,
    graphene.ObjectType,
):
    node = relay.Node.Field()


class Mutation(
    TenantsMutations,
    CatalogueMutations,
    OrderingMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
