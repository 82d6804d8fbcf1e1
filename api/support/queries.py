"""Queries of support: an agency's tickets, and central IT's queue across all agencies."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from graphene import relay
from graphene_django import DjangoConnectionField

from api.core.permissions import require_user
from api.core.refs import agency_row_ref, local_id
from api.support.types import QueueItem, TicketNode, TicketStateEnum
from services.crossindex.models import IndexEntry
from services.support.actions import is_agent
from services.support.models import OPEN_TICKET_STATES, Ticket
from services.support.selectors import load_ticket


class SupportQueries(graphene.ObjectType):
    tickets = DjangoConnectionField(
        TicketNode,
        state=TicketStateEnum(),
        open=graphene.Boolean(),
        search=graphene.String(description="Words in the subject."),
    )
    ticket = relay.Node.Field(TicketNode)
    service_desk_queue = DjangoConnectionField(
        QueueItem,
        agency=graphene.String(description="An agency's slug."),
        service=graphene.ID(),
        priority=graphene.Int(),
        group=graphene.String(),
        assignee=graphene.String(description="An agent's username."),
        states=graphene.List(graphene.NonNull(TicketStateEnum)),
        description="Open tickets of every agency, earliest due first.",
    )
    agency_ticket = graphene.Field(
        TicketNode,
        id=graphene.ID(required=True),
        description="One ticket of any agency (central IT).",
    )

    def resolve_tickets(self, info, state=None, open=None, search=None, **kwargs):
        qs = Ticket.objects.all()
        if state:
            qs = qs.filter(state=state)
        if open is not None:
            qs = (
                qs.filter(state__in=OPEN_TICKET_STATES)
                if open
                else qs.exclude(state__in=OPEN_TICKET_STATES)
            )
        if search:
            qs = qs.filter(subject__icontains=search)
        return qs

    def resolve_service_desk_queue(
        self,
        info,
        agency=None,
        service=None,
        priority=None,
        group=None,
        assignee=None,
        states=None,
        **kwargs,
    ):
        qs = IndexEntry.objects.filter(state__in=states or OPEN_TICKET_STATES)
        if agency:
            qs = qs.filter(agency__slug=agency)
        if service:
            try:
                qs = qs.filter(service_id=local_id(service, "Service", "service"))
            except ValidationError:
                return qs.none()
        if priority:
            qs = qs.filter(priority=priority)
        if group:
            qs = qs.filter(group=group)
        if assignee:
            qs = qs.filter(assignee__username=assignee)
        return qs.order_by("due_at", "id")

    def resolve_agency_ticket(self, info, id):
        user = require_user(info)
        try:
            if not is_agent(user):
                raise PermissionDenied
            agency, pk = agency_row_ref(info, id, "Ticket", "ticket")
        except (PermissionDenied, ValidationError):
            return None
        return load_ticket(agency, pk)
