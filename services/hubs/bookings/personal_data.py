"""What hub bookings hold of a person (services/people/gdpr.py): their bookings. Kept on
anonymisation (the hub's attendance), naming the anonymised person."""

from __future__ import annotations

from typing import Any

from services.hubs.bookings.models import Booking
from services.people.gdpr import Holder
from services.people.models import Person


def _export(person: Person) -> list[dict[str, Any]]:
    rows = Booking.objects.filter(person=person).order_by("starts_at", "pk")
    return [dict(row) for row in rows.values("hub__name", "service", "starts_at", "state")]


HOLDER = Holder("hub_bookings", _export, lambda person: 0)
