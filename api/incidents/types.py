"""GraphQL types of major incidents and replacement proposals."""

from __future__ import annotations

import graphene
from graphene import relay

from api.core.permissions import viewer
from api.core.refs import ServiceRef, central_id
from api.core.types import CountedConnection, SamnavObjectType
from api.devices.types import DeviceNode
from api.ordering.types import OfferingRef
from api.tenants.types import AgencyNode
from services.devices.replacements import policies as lifecycle_policies
from services.devices.replacements.models import ProposalReason, ProposalState, ReplacementProposal
from services.incidents import policies
from services.incidents.models import IncidentState, MajorIncident

IncidentStateEnum = graphene.Enum.from_enum(IncidentState, name="MajorIncidentState")
ProposalStateEnum = graphene.Enum.from_enum(ProposalState, name="ReplacementProposalState")
ProposalReasonEnum = graphene.Enum.from_enum(ProposalReason, name="ReplacementProposalReason")


class MajorIncidentTicket(graphene.ObjectType):
    """A ticket linked to a major incident. An agency sees only its own tickets."""

    ticket_id = graphene.ID(
        required=True,
        description="A Ticket id on the agency's host; AgencyTicket (agencyTicket) centrally.",
    )
    agency = graphene.Field(AgencyNode, description="Central IT only.")
    linked_at = graphene.DateTime(required=True)


class MajorIncidentNode(SamnavObjectType):
    state = graphene.Field(IncidentStateEnum, required=True)
    service = graphene.Field(ServiceRef, required=True)
    tickets = graphene.List(
        graphene.NonNull(MajorIncidentTicket),
        required=True,
        description="Central IT: every linked ticket. An agency: its own linked tickets only.",
    )

    class Meta:
        model = MajorIncident
        name = "MajorIncident"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "opened_at", "resolved_at", "agencies_reported", "summary")

    policy = staticmethod(policies.incidents)  # with the linked tickets the viewer may see

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("service")

    def resolve_state(self, info):
        return self.state

    def resolve_service(self, info):
        return ServiceRef(
            id=relay.Node.to_global_id("Service", self.service_id), name=self.service.name
        )

    def resolve_tickets(self, info):
        asking = viewer(info)
        if policies.sees_every_incident(asking):
            return [
                MajorIncidentTicket(
                    ticket_id=central_id("Ticket", link.agency_id, link.ticket_id),
                    agency=link.agency,
                    linked_at=link.linked_at,
                )
                for link in self.tickets.all()
            ]
        agency = policies.incident_agency(asking)
        if agency is None:
            return []
        return [
            MajorIncidentTicket(
                ticket_id=relay.Node.to_global_id("Ticket", link.ticket_id),
                linked_at=link.linked_at,
            )
            for link in self.tickets.all()
            if link.agency_id == agency.pk
        ]


class ReplacementProposalNode(SamnavObjectType):
    state = graphene.Field(ProposalStateEnum, required=True)
    reason = graphene.Field(ProposalReasonEnum, required=True)
    device = graphene.Field(DeviceNode, required=True)
    offering = graphene.Field(OfferingRef, description="What accepting orders (quantity 1).")
    order_id = graphene.ID(description="The order placed on acceptance (an Order id).")

    class Meta:
        model = ReplacementProposal
        name = "ReplacementProposal"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "due_on", "created_at", "decided_at", "dismissed_reason", "offering_note")

    policy = staticmethod(lifecycle_policies.proposals)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("device__holder", "offering__service")

    def resolve_state(self, info):
        return self.state

    def resolve_reason(self, info):
        return self.reason

    def resolve_device(self, info):
        return self.device

    def resolve_offering(self, info):
        return OfferingRef.of(self.offering) if self.offering_id else None

    def resolve_order_id(self, info):
        return relay.Node.to_global_id("Order", self.order_id) if self.order_id else None
