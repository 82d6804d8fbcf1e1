"""The root schema, composed by inheritance in one place (design.md §3)."""

import graphene
from graphene import relay

from api.catalogue.mutations import CatalogueMutations
from api.catalogue.queries import CatalogueQueries
from api.catalogue.suppliers import SupplierMutations, SupplierQueries
from api.costs.exports import CostExportMutations, CostExportQueries
from api.costs.mutations import CostsMutations
from api.costs.queries import CostsQueries
from api.devices.mutations import DeviceMutations
from api.devices.queries import DeviceQueries
from api.hubs.mutations import HubsMutations
from api.hubs.queries import HubsQueries
from api.incidents.mutations import IncidentsMutations
from api.incidents.queries import IncidentsQueries
from api.knowledge.mutations import KnowledgeMutations
from api.knowledge.queries import KnowledgeQueries
from api.licences.mutations import LicenceMutations
from api.licences.queries import LicenceQueries
from api.licences.usage import LicenceUsageMutations
from api.ordering.mutations import OrderingMutations
from api.ordering.queries import OrderingQueries
from api.outbox.mutations import OutboxMutations
from api.outbox.queries import OutboxQueries
from api.people.mutations import PeopleMutations
from api.people.queries import PeopleQueries
from api.projects.mutations import ProjectsMutations
from api.projects.queries import ProjectsQueries
from api.scim.schema import ScimMutations, ScimQueries
from api.support.chat import ChatMutations
from api.support.compliance import ComplianceMutations, ComplianceQueries
from api.support.desk import DeskMutations
from api.support.mutations import SupportMutations
from api.support.queries import SupportQueries
from api.tenants.identity_providers import IdentityProviderMutations, IdentityProviderQueries
from api.tenants.mutations import TenantsMutations
from api.tenants.queries import TenantsQueries
from api.todo import TodoQueries
from api.visits.mutations import VisitsMutations
from api.visits.queries import VisitsQueries


class Query(
    TenantsQueries,
    IdentityProviderQueries,
    CatalogueQueries,
    SupplierQueries,
    OrderingQueries,
    TodoQueries,
    LicenceQueries,
    PeopleQueries,
    ScimQueries,
    SupportQueries,
    ComplianceQueries,
    DeviceQueries,
    HubsQueries,
    VisitsQueries,
    IncidentsQueries,
    KnowledgeQueries,
    ProjectsQueries,
    CostsQueries,
    CostExportQueries,
    OutboxQueries,
    graphene.ObjectType,
):
    node = relay.Node.Field()


class Mutation(
    TenantsMutations,
    IdentityProviderMutations,
    CatalogueMutations,
    SupplierMutations,
    OrderingMutations,
    LicenceMutations,
    LicenceUsageMutations,
    PeopleMutations,
    ScimMutations,
    SupportMutations,
    DeskMutations,
    ChatMutations,
    ComplianceMutations,
    DeviceMutations,
    HubsMutations,
    VisitsMutations,
    IncidentsMutations,
    KnowledgeMutations,
    ProjectsMutations,
    CostsMutations,
    CostExportMutations,
    OutboxMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
