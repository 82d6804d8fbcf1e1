"""Bulk changes from the service-desk queue: many tickets (of many agencies) assigned or moved
at once. Each ticket changes in its own transaction through the single-ticket action, so one
that cannot move is reported and the others still move; nothing is half-written per ticket."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from services.support.actions.access import is_agent
from services.support.actions.states import change_state
from services.support.actions.triage import assign_ticket
from services.support.errors import SupportErrorCode as Code
from services.support.models import TicketState
from services.validation import field_error
from tenants.models import Agency, User

MAX_BULK = 100

# Where an agent may move tickets in bulk, from each state (the same moves the ticket page
# offers; a closed ticket moves nowhere).
BULK_MOVES: dict[str, frozenset[str]] = {
    TicketState.NEW: frozenset(
        {
            TicketState.OPEN,
            TicketState.WAITING_REQUESTER,
            TicketState.WAITING_SUPPLIER,
            TicketState.RESOLVED,
            TicketState.CLOSED,
        }
    ),
    TicketState.OPEN: frozenset(
        {
            TicketState.WAITING_REQUESTER,
            TicketState.WAITING_SUPPLIER,
            TicketState.RESOLVED,
            TicketState.CLOSED,
        }
    ),
    TicketState.WAITING_REQUESTER: frozenset(
        {TicketState.OPEN, TicketState.WAITING_SUPPLIER, TicketState.RESOLVED, TicketState.CLOSED}
    ),
    TicketState.WAITING_SUPPLIER: frozenset(
        {TicketState.OPEN, TicketState.WAITING_REQUESTER, TicketState.RESOLVED, TicketState.CLOSED}
    ),
    TicketState.RESOLVED: frozenset({TicketState.OPEN, TicketState.CLOSED}),
    TicketState.CLOSED: frozenset(),
}


@dataclass(frozen=True)
class BulkOutcome:
    agency: Agency
    ticket_id: int
    ok: bool
    message: str = ""


def _each(
    actor: User, refs: Sequence[tuple[Agency, int]], change: Callable[[Agency, int], object]
) -> list[BulkOutcome]:
    if not is_agent(actor):
        raise PermissionDenied(_("Only central IT changes tickets in bulk."))
    if not refs:
        raise field_error("tickets", _("Choose at least one ticket."), Code.REQUIRED)
    if len(refs) > MAX_BULK:
        raise field_error(
            "tickets", _("At most %(n)s tickets at once.") % {"n": MAX_BULK}, Code.OUT_OF_RANGE
        )
    outcomes = []
    for agency, ticket_id in refs:
        try:
            change(agency, ticket_id)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(getattr(exc, "messages", None) or [str(exc)])
            outcomes.append(BulkOutcome(agency, ticket_id, False, text))
        else:
            outcomes.append(BulkOutcome(agency, ticket_id, True))
    return outcomes


def bulk_assign(
    actor: User,
    refs: Sequence[tuple[Agency, int]],
    *,
    assignee_id: int | None,
    group: str | None = None,
) -> list[BulkOutcome]:
    """Assign every ticket of `refs` (agency, ticket id) to one agent and/or group."""

    def change(agency: Agency, ticket_id: int) -> object:
        return assign_ticket(agency, actor, ticket_id, assignee_id=assignee_id, group=group)

    return _each(actor, refs, change)


def bulk_change_state(
    actor: User, refs: Sequence[tuple[Agency, int]], state: str, reason: str = ""
) -> list[BulkOutcome]:
    """Move every ticket of `refs` to `state`; a ticket that may not move there (see
    BULK_MOVES) is reported and left as it was."""
    if state not in TicketState.values:
        raise field_error("state", _("Unknown state."), Code.INVALID)

    def change(agency: Agency, ticket_id: int) -> object:
        return change_state(agency, actor, ticket_id, state, reason, moves=BULK_MOVES)

    return _each(actor, refs, change)
