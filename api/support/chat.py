"""Chat through GraphQL: `startChat` opens a chat ticket on the agency's host;
`sendChatMessage` adds a line to it (services/support/channels/chat.py). Both answer with
knowledge-base articles suggested for the person's line (none for an agent's)."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user
from api.core.refs import agency_of_host, agency_row_ref
from api.knowledge.types import KnowledgeArticle
from api.support.types import TicketNode
from services.support.actions import is_agent
from services.support.channels import chat
from services.support.errors import SupportErrorCode
from services.support.selectors import load_ticket


class _ChatMutation(SamnavMutation):
    class Meta:
        abstract = True

    suggestions = graphene.List(
        graphene.NonNull(KnowledgeArticle),
        description="Knowledge-base articles that may answer this line (best first; empty for "
        "an agent's line). Record what the person did with recordSuggestionOutcome "
        "(channel CHAT).",
    )

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
        return {
            "ticket": load_ticket(agency, ticket.pk),
            "suggestions": chat.suggestions(agency, text, ticket.service_id),
        }


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
        user = current_user(info)
        chat.chat_reply(agency, user, pk, text)
        loaded = load_ticket(agency, pk)
        found = [] if is_agent(user) else chat.suggestions(agency, text, loaded.service_id)
        return {"ticket": loaded, "suggestions": found}


class ChatMutations(graphene.ObjectType):
    start_chat = StartChat.Field()
    send_chat_message = SendChatMessage.Field()
