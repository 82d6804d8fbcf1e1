"""What field visits hold of a person (services/people/gdpr.py): the visits they asked for,
with the address and phone number given. Anonymising the person erases those (the visit
itself, its times and outcome stay: they are the field service's record)."""

from __future__ import annotations

from typing import Any

from services.field.visits.models import Visit
from services.people.gdpr import Holder
from services.people.models import Person

PERSONAL = ("street_address", "postal_code", "city", "contact_phone", "notes")


def _export(person: Person) -> list[dict[str, Any]]:
    rows = Visit.objects.filter(requester=person).order_by("pk")
    return [dict(row) for row in rows.values("id", "place_kind", "state", *PERSONAL)]


def _anonymise(person: Person) -> int:
    return Visit.objects.filter(requester=person).update(**dict.fromkeys(PERSONAL, ""))


HOLDER = Holder("field_visits", _export, _anonymise)
