"""GraphQL types of the outbox: an agency's own outgoing messages (its admins, on its host) and
central IT's summary (counts per agency, from the index in public)."""

from __future__ import annotations

import graphene
from graphene import relay

from api.core.types import CountedConnection, SamnavObjectType
from services.outbox import policies
from services.outbox.agency.models import OutboundMessage
from services.outbox.models import Channel, MessageState

OutboxStateEnum = graphene.Enum.from_enum(MessageState, name="OutboxState")
OutboxChannelEnum = graphene.Enum.from_enum(Channel, name="OutboxChannel")


class OutgoingMessageNode(SamnavObjectType):
    """A mail or SMS to the agency's people: to whom, about what, and how sending went (the
    text itself is not given out)."""

    channel = graphene.Field(OutboxChannelEnum, required=True)
    state = graphene.Field(OutboxStateEnum, required=True)
    recipients = graphene.List(graphene.NonNull(graphene.String), required=True)

    class Meta:
        model = OutboundMessage
        name = "OutgoingMessage"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "subject",
            "attempts",
            "last_error",
            "created_at",
            "next_attempt_at",
            "sent_at",
        )

    policy = staticmethod(policies.outgoing_messages)

    @classmethod
    def load(cls, queryset, info):
        return queryset.defer("body", "headers")  # the text itself is not given out

    def resolve_channel(self, info):
        return self.channel

    def resolve_state(self, info):
        return self.state

    def resolve_recipients(self, info):
        return list(self.recipients)


class OutboxAgencyCount(graphene.ObjectType):
    agency = graphene.ID(required=True, description="The Agency id.")
    name = graphene.String(required=True)
    pending = graphene.Int(required=True)
    failed = graphene.Int(required=True)


class OutboxSummary(graphene.ObjectType):
    """What waits and what failed: central IT's own messages, and counts per agency (addresses
    and text stay in the agencies' schemas)."""

    central_pending = graphene.Int(required=True)
    central_failed = graphene.Int(required=True)
    agencies = graphene.List(
        graphene.NonNull(OutboxAgencyCount),
        required=True,
        description="Agencies with anything waiting or failed.",
    )
