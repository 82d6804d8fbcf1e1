"""The root schema, composed by inheritance in one place (design.md §3)."""

import graphene
from graphene import relay

from api.catalogue.mutations import CatalogueMutations
from api.catalogue.queries import CatalogueQueries
from api.devices.queries import DeviceQueries
from api.licences.mutations import LicenceMutations
from api.licences.queries import LicenceQueries
from api.licences.usage import LicenceUsageMutations
from api.ordering.mutations import OrderingMutations
from api.ordering.queries import OrderingQueries
from api.support.chat import ChatMutations
from api.support.compliance import ComplianceMutations, ComplianceQueries
from api.support.mutations import SupportMutations
from api.support.queries import SupportQueries
from api.tenants.mutations import TenantsMutations
from api.tenants.queries import TenantsQueries


class Query(
    TenantsQueries,
    CatalogueQueries,
    OrderingQueries,
    LicenceQueries,
    SupportQueries,
    ComplianceQueries,
    DeviceQueries,
    graphene.ObjectType,
):
    node = relay.Node.Field()


class Mutation(
    TenantsMutations,
    CatalogueMutations,
    OrderingMutations,
    LicenceMutations,
    LicenceUsageMutations,
    SupportMutations,
    ChatMutations,
    ComplianceMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
