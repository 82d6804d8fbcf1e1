"""Write paths of support: open a ticket, add a message, assign, re-prioritise, change state;
one module per concept. Called as `actions.open_ticket(...)`.

Every channel adapter (web, GraphQL, e-mail, SMS, chat) ends here. Each change writes the
ticket's row in the cross-agency index and its clock events in the same transaction.
"""

from services.support.actions.access import is_agent, requester_for
from services.support.actions.bulk import BULK_MOVES, BulkOutcome, bulk_assign, bulk_change_state
from services.support.actions.followers import follow, is_follower, note_cc
from services.support.actions.messages import add_message
from services.support.actions.relations import link_tickets, merge_ticket, unlink_tickets
from services.support.actions.states import REQUESTER_MOVES, change_state, reopen_days
from services.support.actions.tickets import NewTicket, agreement_for, open_ticket
from services.support.actions.triage import assign_ticket, reprioritise, set_priority

__all__ = [
    "BULK_MOVES",
    "BulkOutcome",
    "bulk_assign",
    "bulk_change_state",
    "link_tickets",
    "merge_ticket",
    "set_priority",
    "unlink_tickets",
    "REQUESTER_MOVES",
    "NewTicket",
    "add_message",
    "agreement_for",
    "assign_ticket",
    "change_state",
    "follow",
    "is_follower",
    "note_cc",
    "is_agent",
    "open_ticket",
    "reopen_days",
    "reprioritise",
    "requester_for",
]
