"""GraphQL types of support: tickets with messages and clocks; the central queue."""

from __future__ import annotations

import base64

import graphene
from graphene import relay

from api.core.permissions import host_agency, viewer
from api.core.refs import ServiceRef, central_id
from api.core.types import CountedConnection, SamnavObjectType
from api.devices.types import DeviceNode
from api.people.types import PersonNode
from api.tenants.types import AgencyNode
from services.crossindex.models import IndexEntry
from services.support import clocks, policies
from services.support.models import (
    Attachment,
    Channel,
    ClockEvent,
    Kind,
    Ticket,
    TicketMessage,
    TicketState,
)

TicketStateEnum = graphene.Enum.from_enum(TicketState, name="TicketState")
ChannelEnum = graphene.Enum.from_enum(Channel, name="TicketChannel")
KindEnum = graphene.Enum.from_enum(Kind, name="TicketKind")


class AttachmentType(SamnavObjectType):
    download = graphene.String(description="Base64 content; serve it only as a download.")

    class Meta:
        model = Attachment
        name = "TicketAttachment"
        fields = ("id", "filename", "content_type", "size", "sha256")

    policy = staticmethod(policies.ticket_parts)

    def resolve_download(self, info):
        return base64.b64encode(bytes(self.content)).decode()


class MessageType(SamnavObjectType):
    channel = graphene.Field(ChannelEnum, required=True)
    attachments = graphene.List(graphene.NonNull(AttachmentType), required=True)

    class Meta:
        model = TicketMessage
        name = "TicketMessage"
        fields = ("id", "body", "is_internal", "author_id", "created_at")

    policy = staticmethod(policies.ticket_parts)

    def resolve_channel(self, info):
        return self.channel

    def resolve_attachments(self, info):
        return self.attachments.all()


class ClockEventType(SamnavObjectType):
    class Meta:
        model = ClockEvent
        name = "ClockEvent"
        fields = ("clock", "kind", "at", "target_minutes", "reason")

    policy = staticmethod(policies.ticket_parts)


class ClockType(graphene.ObjectType):
    clock = graphene.String(required=True, description="response or resolution")
    state = graphene.String(required=True)
    target_minutes = graphene.Int()
    elapsed_minutes = graphene.Int(required=True)
    remaining_minutes = graphene.Int()
    percent_used = graphene.Int()
    due_at = graphene.DateTime()
    explanation = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Why the clock stands where it does.",
    )


def viewer_may_see_internal(info) -> bool:
    return policies.works_tickets_anywhere(viewer(info))


def selected_node_fields(info) -> set[str] | None:
    """The fields a query selects on each row of the field being resolved: under
    `edges { node { ... } }` for a connection, else directly; fragments included. None when
    there is no selection to read (then the caller loads everything)."""
    from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode

    def names(selection_sets) -> dict[str, list]:
        found: dict[str, list] = {}
        pending = [s for s in selection_sets if s is not None]
        while pending:
            for sel in pending.pop().selections:
                if isinstance(sel, FieldNode):
                    found.setdefault(sel.name.value, []).append(sel.selection_set)
                elif isinstance(sel, InlineFragmentNode):
                    pending.append(sel.selection_set)
                elif isinstance(sel, FragmentSpreadNode):
                    fragment = info.fragments.get(sel.name.value)
                    if fragment is None:
                        return {}
                    pending.append(fragment.selection_set)
        return found

    top = names([node.selection_set for node in info.field_nodes])
    if not top:
        return None
    if "edges" in top:
        nodes = names(top["edges"]).get("node")
        return set(names(nodes)) if nodes else set()
    return set(top)


class TicketNode(SamnavObjectType):
    channel = graphene.Field(ChannelEnum, required=True)
    kind = graphene.Field(KindEnum, required=True)
    state = graphene.Field(TicketStateEnum, required=True)
    service = graphene.Field(ServiceRef)
    requester = graphene.Field(PersonNode, required=True)
    messages = graphene.List(
        graphene.NonNull(MessageType),
        required=True,
        description="Internal notes are shown to central IT only.",
    )
    clocks = graphene.List(graphene.NonNull(ClockType), required=True)
    clock_events = graphene.List(graphene.NonNull(ClockEventType), required=True)
    device = graphene.Field(DeviceNode)
    order_id = graphene.ID(description="The linked order (an Order id on the agency host).")
    subscription_id = graphene.ID()

    class Meta:
        model = Ticket
        name = "Ticket"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "subject",
            "description",
            "impact",
            "urgency",
            "priority",
            "group",
            "assignee_id",
            "is_proactive",
            "created_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
        )

    policy = staticmethod(policies.tickets)

    @classmethod
    def load(cls, queryset, info):
        qs = queryset.select_related("requester", "service", "device")
        # Prefetch messages and clock events only when the query reads them: a list of 50
        # tickets without them spent half its time loading them (tests/bench/bench_graphql.py).
        selected = selected_node_fields(info)
        if selected is None or "messages" in selected:
            qs = qs.prefetch_related("messages__attachments")
        if selected is None or selected & {"clocks", "clockEvents"}:
            qs = qs.prefetch_related("clock_events")
        return qs

    def resolve_channel(self, info):
        return self.channel

    def resolve_kind(self, info):
        return self.kind

    def resolve_state(self, info):
        return self.state

    def resolve_service(self, info):
        if self.service_id is None:
            return None
        return ServiceRef(
            id=relay.Node.to_global_id("Service", self.service_id), name=self.service.name
        )

    def resolve_requester(self, info):
        return self.requester

    def resolve_messages(self, info):
        internal = viewer_may_see_internal(info)
        return [m for m in self.messages.all() if internal or not m.is_internal]

    def resolve_device(self, info):
        return self.device

    def resolve_order_id(self, info):
        return relay.Node.to_global_id("Order", self.order_id) if self.order_id else None

    def resolve_subscription_id(self, info):
        return (
            relay.Node.to_global_id("Subscription", self.subscription_id)
            if self.subscription_id
            else None
        )

    def resolve_clock_events(self, info):
        return self.clock_events.all()

    def resolve_clocks(self, info):
        agency = getattr(self, "_samnav_agency", None) or host_agency(info)
        statuses = clocks.statuses(agency, self, events=self.clock_events.all())
        return [
            ClockType(
                clock=name,
                state=str(s.state),
                target_minutes=s.target_minutes,
                elapsed_minutes=s.elapsed_minutes,
                remaining_minutes=s.remaining_minutes,
                percent_used=s.percent_used,
                due_at=s.due_at,
                explanation=s.explanation(),
            )
            for name, s in statuses.items()
        ]


class QueueItem(SamnavObjectType):
    """A ticket in the central service-desk queue (the cross-agency index: no personal data)."""

    ticket_id = graphene.ID(required=True, description="For agencyTicket and the mutations.")
    agency = graphene.Field(AgencyNode, required=True)
    assignee = graphene.String(description="The assigned agent's username.")
    state = graphene.Field(TicketStateEnum, required=True)

    class Meta:
        model = IndexEntry
        name = "QueueItem"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "priority", "due_at", "warn_at", "group", "escalation", "updated_at")

    policy = staticmethod(policies.ticket_queue)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("agency", "assignee")

    def resolve_ticket_id(self, info):
        return central_id("Ticket", self.agency_id, self.local_id)

    def resolve_agency(self, info):
        return self.agency

    def resolve_state(self, info):
        return self.state

    def resolve_assignee(self, info):
        return self.assignee.username if self.assignee_id else None
