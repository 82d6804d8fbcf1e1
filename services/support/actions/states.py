"""A ticket's state: who may move it where, the reopen window, and what each move does to
the resolved and closed times and to the agreement clocks."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from config.celery import enqueue_on_commit
from services.people.models import Person
from services.support import clocks, policies, tasks
from services.support.actions.access import is_agent
from services.support.actions.rows import lock_ticket
from services.support.errors import SupportErrorCode as Code
from services.support.models import Ticket, TicketState
from services.validation import clean_text, field_error
from tenants.models import Agency, User
from tenants.viewer import Viewer

# Who may move a ticket where: agents anywhere; the requester (or the agency's admins) may
# resolve their own matter, reopen it within the reopen window, or close it.
REQUESTER_MOVES = {TicketState.RESOLVED, TicketState.CLOSED, TicketState.OPEN}


def reopen_days() -> int:
    return int(getattr(settings, "SAMNAV_REOPEN_DAYS", 14))


def within_reopen(ticket: Ticket) -> bool:
    return ticket.resolved_at is None or (timezone.now() - ticket.resolved_at).days < reopen_days()


def set_state(agency: Agency, ticket: Ticket, state: str, reason: str) -> None:
    """Move the locked `ticket` to `state` (nothing when it is there already)."""
    before = ticket.state
    if before == state:
        return
    ticket.state = state
    now = timezone.now()
    if state == TicketState.RESOLVED:
        ticket.resolved_at = now
    if state == TicketState.CLOSED:
        ticket.closed_at = now
    if before == TicketState.RESOLVED and state != TicketState.CLOSED:
        ticket.resolved_at = None
    ticket.save(update_fields=["state", "resolved_at", "closed_at"])
    clocks.follow_state(agency, ticket, before, state, reason)


def change_state(
    agency: Agency,
    actor: User,
    ticket_id: int,
    state: str,
    reason: str = "",
    *,
    moves: Mapping[str, Collection[str]] | None = None,
) -> Ticket:
    """Move the ticket to `state`; with `moves` (state -> the states it may move to), a move
    not listed is refused, checked on the locked row."""
    if state not in TicketState.values:
        raise field_error("state", _("Unknown state."), Code.INVALID)
    with tenant_context(agency), transaction.atomic():
        ticket = lock_ticket(ticket_id)
        own = Person.objects.filter(pk=ticket.requester_id, user_id=actor.pk).exists()
        admin = policies.is_admin(Viewer.of(actor, agency))
        if not is_agent(actor) and not ((own or admin) and state in REQUESTER_MOVES):
            raise PermissionDenied(_("You may not move this ticket there."))
        if ticket.state == TicketState.CLOSED:
            raise field_error("state", _("The ticket is closed."), Code.INVALID_STATE)
        if moves is not None and state not in moves.get(ticket.state, ()):
            raise field_error(
                "state",
                _("A ticket in state “%(before)s” cannot move to “%(after)s”.")
                % {"before": TicketState(ticket.state).label, "after": TicketState(state).label},
                Code.INVALID_STATE,
            )
        if (
            ticket.state == TicketState.RESOLVED
            and state in (TicketState.OPEN, TicketState.NEW)
            and not within_reopen(ticket)
        ):
            raise field_error(
                "state",
                _("It was resolved more than %(days)s days ago: open a new ticket.")
                % {"days": reopen_days()},
                Code.REOPEN_EXPIRED,
            )
        set_state(agency, ticket, state, clean_text("reason", reason))
        clocks.index(agency, ticket)
        if state == TicketState.RESOLVED:
            enqueue_on_commit(tasks.notify_resolution, ticket.pk)
    return ticket
