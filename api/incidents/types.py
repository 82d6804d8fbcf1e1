"""GraphQL types of major incidents and replacement proposals."""

from __future__ import annotations

import graphene
from django.db.models import Exists, OuterRef, Prefetch, Q
from graphene import relay

from api.core.permissions import current_user, host_agency
from api.core.refs import central_id
from api.core.types import CountedConnection, SamnavObjectType
from api.devices.types import DeviceNode
from api.ordering.types import OfferingRef, admin_rows
from api.support.types import ServiceRef
from api.tenants.types import AgencyNode
from services.crossindex.models import IndexEntry, IndexKind
from services.incidents.correlation import SUBSCRIBED_STATES
from services.incidents.models import IncidentNotice, IncidentState, IncidentTicket, MajorIncident
from services.lifecycle.models import ProposalReason, ProposalState, ReplacementProposal
from tenants import access
from tenants.roles import Role

IncidentStateEnum = graphene.Enum.from_enum(IncidentState, name="MajorIncidentState")
ProposalStateEnum = graphene.Enum.from_enum(ProposalState, name="ReplacementProposalState")
ProposalReasonEnum = graphene.Enum.from_enum(ProposalReason, name="ReplacementProposalReason")


def incident_viewer(info):
    """("central", None) for a central role on the central host, ("agency", agency) for an
    agency admin on the agency's host, else None."""
    user, agency = current_user(info), host_agency(info)
    if user is None:
        return None
    if agency is None:
        return ("central", None) if access.has_central_role(user) else None
    if access.has_agency_role(user, agency, Role.AGENCY_ADMIN):
        return ("agency", agency)
    return None


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

    @classmethod
    def visible(cls, queryset, info):
        """Central roles (central host): every incident. An agency's admins (its host): the
        incidents of services it subscribes to, reported, or was told about."""
        viewer = incident_viewer(info)
        if viewer is None:
            return queryset.none()
        qs = queryset.select_related("service")
        links = IncidentTicket.objects.select_related("agency").order_by("agency_id", "ticket_id")
        if viewer[0] == "central":
            return qs.prefetch_related(Prefetch("tickets", queryset=links))
        agency = viewer[1]
        subscribed = IndexEntry.objects.filter(
            kind=IndexKind.SUBSCRIPTION, agency=agency, state__in=SUBSCRIBED_STATES
        ).values("service_id")
        reported = IncidentTicket.objects.filter(incident=OuterRef("pk"), agency=agency)
        told = IncidentNotice.objects.filter(incident=OuterRef("pk"), agency=agency)
        return qs.filter(
            Q(service_id__in=subscribed) | Exists(reported) | Exists(told)
        ).prefetch_related(Prefetch("tickets", queryset=links.filter(agency=agency)))

    def resolve_state(self, info):
        return self.state

    def resolve_service(self, info):
        return ServiceRef(
            id=relay.Node.to_global_id("Service", self.service_id), name=self.service.name
        )

    def resolve_tickets(self, info):
        viewer = incident_viewer(info)
        if viewer is None:
            return []
        if viewer[0] == "central":
            return [
                MajorIncidentTicket(
                    ticket_id=central_id("Ticket", link.agency_id, link.ticket_id),
                    agency=link.agency,
                    linked_at=link.linked_at,
                )
                for link in self.tickets.all()
            ]
        agency = viewer[1]
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
        fields = ("id", "due_on", "created_at", "decided_at", "dismissed_reason")

    @classmethod
    def visible(cls, queryset, info):
        """The host agency's admins only."""
        return admin_rows(queryset, info).select_related("device__holder", "offering__service")

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
