"""What support holds of a person, for the people register's export and anonymisation
(services/people/gdpr.py): the tickets they asked for. Tickets are kept when the person is
anonymised: they record the service given and its agreements, and name the anonymised
person; they go with the support retention rules."""

from __future__ import annotations

from typing import Any

from services.people.gdpr import Holder
from services.people.models import Person
from services.support.models import Ticket


def _export(person: Person) -> list[dict[str, Any]]:
    rows = Ticket.objects.filter(requester=person).order_by("pk")
    return [dict(row) for row in rows.values("id", "subject", "state", "channel", "created_at")]


HOLDER = Holder("tickets", _export, lambda person: 0)
