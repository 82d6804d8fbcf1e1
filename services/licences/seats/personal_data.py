"""What the licence seats hold of a person (services/people/gdpr.py): the seats they had.
Seats are kept when the person is anonymised: they are the agency's licence accounting."""

from __future__ import annotations

from typing import Any

from services.licences.seats.models import SeatAssignment
from services.people.gdpr import Holder
from services.people.models import Person


def _export(person: Person) -> list[dict[str, Any]]:
    rows = SeatAssignment.objects.filter(person=person).order_by("pk")
    return [
        {
            "licence": seat.pool.product,
            "starts_on": seat.starts_on,
            "released_at": seat.released_at,
            "last_used_on": seat.last_used_on,
        }
        for seat in rows.select_related("pool")
    ]


HOLDER = Holder("licence_seats", _export, lambda person: 0)
