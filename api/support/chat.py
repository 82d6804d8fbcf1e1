"""Chat through GraphQL: `startChat` opens a chat ticket on the agency's host;
`sendChatMessage` adds a line to it (services/support/channels/chat.py)."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user
from api.core.refs import agency_of_host, agency_row_ref
from api.support.queries import load_ticket
from api.support.types import TicketNode
from services.support.channels import chat
from services.support.errors import SupportErrorCode


class _ChatMutation(SamnavMutation):
    class Meta:
        abstract = True

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles


class StartChat(_ChatMutation):
    """Start a conversation with the service desk; it becomes a ticket (this host's agency)."""

    class Arguments:
        text = graphene.String(required=True, description="The first message.")

    class Meta:
        error_codes = SupportErrorCode
        error_type_name = "SupportError"

    ticket = graphene.Field(TicketNode)

    @classmethod
    def perform(cls, info, text):
        agency = agency_of_host(info)
        ticket = chat.start_chat(agency, current_user(info), text)
        return {"ticket": load_ticket(agency, ticket.pk)}


class SendChatMessage(_ChatMutation):
    """One more message in a chat: by its requester on the agency's host, or by central IT."""

    class Arguments:
        ticket = graphene.ID(required=True)
        text = graphene.String(required=True)

    class Meta:
        error_codes = SupportErrorCode
        error_type_name = "SupportError"

    ticket = graphene.Field(TicketNode)

    @classmethod
    def perform(cls, info, ticket, text):
        agency, pk = agency_row_ref(info, ticket, "Ticket", "ticket")
        chat.chat_reply(agency, current_user(info), pk, text)
        return {"ticket": load_ticket(agency, pk)}


class ChatMutations(graphene.ObjectType):
    start_chat = StartChat.Field()
    send_chat_message = SendChatMessage.Field()
