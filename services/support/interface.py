"""What the shared half of Samnav may use of the agency's tickets.

The one door from a shared app (data in public) into this agency app (data in each agency's
schema); callers are inside tenant_context(agency). tests/house/test_homes.py holds every
shared app to it."""

from services.support.actions import add_message, change_state
from services.support.models import OPEN_TICKET_STATES, Channel, Ticket, TicketState

__all__ = [
    "OPEN_TICKET_STATES",
    "Channel",
    "Ticket",
    "TicketState",
    "add_message",
    "change_state",
]
