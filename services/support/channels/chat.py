"""Chat: a conversation started on the portal or through GraphQL becomes a ticket (channel
chat), and each line of it a message of that ticket.

The signed-in user is the sender: `start_chat` opens a ticket for the staff member on their
agency's host (actions.requester_for: their own person record), and `chat_reply` adds a line
through actions.add_message, which lets the requester, the agency's admins and central IT's
agents write, and nobody else. An agent's line is mailed to the requester
(email_out.notify_requester) once they have left the chat: while their chat page is open it
asks for new lines every few seconds, and `seen` notes when it last did.

Self-help: each line the person writes is also a question for the knowledge base;
`suggestions` finds the articles to show with the reply (services/knowledge/search.py), and
the client records what the person did with them (services/knowledge/outcomes.py).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.knowledge import search as knowledge
from services.knowledge.agency.interface import AgencyArticle
from services.knowledge.models import Article
from services.support import actions, email_out
from services.support.errors import SupportErrorCode as Code
from services.support.models import Channel, Ticket, TicketMessage
from services.validation import Errors
from services.validation import text as check_text
from tenants.models import Agency, User

MAX_TEXT = 4000


def _text(value: str) -> str:
    errors = Errors()
    text = check_text(
        errors,
        "text",
        value,
        codes=Code,
        max_length=MAX_TEXT,
        required_message=_("Write something."),
    )
    errors.raise_if_any()
    return text


def subject_of(text: str) -> str:
    first = text.splitlines()[0].strip()
    return first if len(first) <= 80 else first[:79].rstrip() + "…"


def start_chat(agency: Agency, actor: User, text: str) -> Ticket:
    """Open a chat ticket for the signed-in staff member of `agency` with its first line."""
    text = _text(text)
    requester = actions.requester_for(agency, actor)
    return actions.open_ticket(
        agency,
        requester,
        actions.NewTicket(subject=subject_of(text), description=text),
        channel=Channel.CHAT,
        actor=actor,
    )


def chat_reply(agency: Agency, actor: User | None, ticket_id: int, text: str) -> TicketMessage:
    """One more line of the conversation, by the requester or by central IT."""
    text = _text(text)
    message = actions.add_message(agency, ticket_id, body=text, channel=Channel.CHAT, actor=actor)
    with tenant_context(agency):
        ticket = Ticket.objects.get(pk=message.ticket_id)
    email_out.notify_requester(agency, ticket, message)
    return message


def seen(agency: Agency, ticket_id: int) -> None:
    """The requester's chat page asked for new lines: they are still in the chat."""
    with tenant_context(agency):
        Ticket.objects.filter(pk=ticket_id, channel=Channel.CHAT).update(
            chat_seen_at=timezone.now()
        )


def suggestions(
    agency: Agency, text: str, service_id: int | None = None
) -> list[Article | AgencyArticle]:
    """Knowledge-base articles for this line of the conversation (shared and the agency's
    own, best first); none for empty text."""
    return [hit.article for hit in knowledge.suggest(agency, text, service_id)]
