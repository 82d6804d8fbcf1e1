"""Queries of the outbox: `outgoingMessages` (an agency's admins, its host) and
`outboxSummary` (platform admins and the service desk, central host)."""

from __future__ import annotations

import graphene
from graphene import relay
from graphene_django import DjangoConnectionField

from api.core.permissions import require_central
from api.outbox.types import OutboxAgencyCount, OutboxStateEnum, OutboxSummary, OutgoingMessageNode
from services.outbox import selectors
from services.outbox.agency.models import OutboundMessage
from services.outbox.models import MessageState
from tenants.roles import SERVICE_DESK


class OutboxQueries(graphene.ObjectType):
    outgoing_messages = DjangoConnectionField(
        OutgoingMessageNode,
        state=OutboxStateEnum(description="Default: those not sent (waiting and failed)."),
        description="The agency's messages, newest first (its admins, on its host).",
    )
    outbox_summary = graphene.Field(
        OutboxSummary,
        required=True,
        description="Waiting and failed messages, central IT's and per agency (central host).",
    )

    def resolve_outgoing_messages(self, info, state=None, **kwargs):
        qs = OutboundMessage.objects.order_by("-created_at", "-id")
        if state is None:
            return qs.exclude(state=MessageState.SENT)
        return qs.filter(state=getattr(state, "value", state))

    def resolve_outbox_summary(self, info):
        require_central(info, *SERVICE_DESK)
        central = selectors.central_counts()
        return OutboxSummary(
            central_pending=central[MessageState.PENDING],
            central_failed=central[MessageState.FAILED],
            agencies=[
                OutboxAgencyCount(
                    agency=relay.Node.to_global_id("Agency", row["id"]),
                    name=row["name"],
                    pending=row["pending"],
                    failed=row["failed"],
                )
                for row in selectors.agency_counts()
            ],
        )
