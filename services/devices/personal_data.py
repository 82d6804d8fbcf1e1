"""What the device register holds of a person (services/people/gdpr.py): the devices they
hold. The devices stay in the register; anonymising the person leaves them with an
anonymised holder until they are handed over."""

from __future__ import annotations

from typing import Any

from services.devices.models import Device
from services.people.gdpr import Holder
from services.people.models import Person


def _export(person: Person) -> list[dict[str, Any]]:
    rows = Device.objects.filter(holder=person).order_by("pk")
    return [dict(row) for row in rows.values("serial_number", "model", "state")]


HOLDER = Holder("devices", _export, lambda person: 0)
