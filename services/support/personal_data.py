"""What support holds of a person, for the people register's export and anonymisation
(services/people/gdpr.py): the tickets they asked for, and those they follow. Tickets are kept
when the person is anonymised: they record the service given and its agreements, and name the
anonymised person; they go with the support retention rules. What they follow is dropped."""

from __future__ import annotations

from typing import Any

from services.people.gdpr import Holder
from services.people.models import Person
from services.support.models import Ticket, TicketFollower


def _export(person: Person) -> list[dict[str, Any]]:
    rows = Ticket.objects.filter(requester=person).order_by("pk")
    asked = [dict(row) for row in rows.values("id", "subject", "state", "channel", "created_at")]
    followed = TicketFollower.objects.filter(person=person).order_by("pk")
    return asked + [
        {"followed_ticket": row["ticket_id"], "since": row["added_at"]}
        for row in followed.values("ticket_id", "added_at")
    ]


def _anonymise(person: Person) -> int:
    """An anonymised person follows nothing: no mail can reach them through a ticket."""
    deleted, _rows = TicketFollower.objects.filter(person=person).delete()
    return deleted


HOLDER = Holder("tickets", _export, _anonymise)
