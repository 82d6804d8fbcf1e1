"""Messages on a ticket: replies and internal notes, from every channel."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from config.celery import enqueue_on_commit
from services.people.models import Person
from services.support import clocks, tasks
from services.support.actions.access import is_agent, may_write
from services.support.actions.rows import check_files, lock_ticket, store_files
from services.support.actions.states import set_state, within_reopen
from services.support.errors import SupportErrorCode as Code
from services.support.models import TicketMessage, TicketState
from services.validation import Errors, clean_text, field_error
from tenants.models import Agency, User


def add_message(
    agency: Agency,
    ticket_id: int,
    *,
    body: str,
    channel: str,
    actor: User | None = None,
    person: Person | None = None,
    internal: bool = False,
    attachments: Sequence[tuple[str, bytes]] = (),
    email_message_id: str = "",
    colleague: bool = False,
) -> TicketMessage:
    """A reply. An agent's public reply is the first response; the requester's reply while
    the ticket waits on them reopens it (and restarts a paused clock).

    `colleague`: the e-mail channel files a mail of a person of this agency who named the
    ticket in the subject onto it (channels/email_in.py), though it is not theirs."""
    body = clean_text("body", body)
    if not body:
        raise field_error("body", _("Write something."), Code.REQUIRED)
    agent = actor is not None and is_agent(actor)
    if internal and not agent:
        raise PermissionDenied(_("Only central IT writes internal notes."))
    errors = Errors()
    checked = check_files(errors, attachments)
    errors.raise_if_any()
    with tenant_context(agency), transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if not (colleague and actor is None and person is not None):
            may_write(agency, ticket, actor, person)
        if person is None and actor is not None and not agent:
            # a member writing as themself (web, chat, API): the line is theirs, by name, in
            # every view of the conversation, not "central IT"
            person = Person.objects.filter(user_id=actor.pk).first()
        if ticket.state == TicketState.CLOSED:
            raise field_error(
                "ticket", _("The ticket is closed; open a new one."), Code.INVALID_STATE
            )
        message = TicketMessage.objects.create(
            ticket=ticket,
            author_id=getattr(actor, "pk", None),
            author_person=person,
            channel=channel,
            body=body,
            is_internal=internal,
            email_message_id=email_message_id,
        )
        store_files(message, checked)
        if agent and not internal and ticket.first_response_at is None:
            ticket.first_response_at = message.created_at
            ticket.save(update_fields=["first_response_at"])
            clocks.stop(agency, ticket, "response", _("First response"))
        # The requester's reply reopens a ticket waiting on them, or one resolved recently.
        reopens = ticket.state == TicketState.WAITING_REQUESTER or (
            ticket.state == TicketState.RESOLVED and within_reopen(ticket)
        )
        if not agent and reopens:
            set_state(agency, ticket, TicketState.OPEN, _("The requester replied"))
        elif agent and not internal and ticket.state == TicketState.NEW:
            set_state(agency, ticket, TicketState.OPEN, "")
        clocks.index(agency, ticket)
        if agent and not internal:
            enqueue_on_commit(tasks.notify_message, ticket.pk, message.pk)
    return message
