"""Demo devices of an agency: a laptop and a phone per person, two in store; warranty dates
spread from Stockholm's today so some end within 60 days (lifecycle proposals appear, whatever
the day); one laptop in repair through the chain of custody. Deterministic per agency and day;
idempotent (an agency with devices is left alone)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from django_tenants.utils import tenant_context

from services.devices import custody
from services.devices.custody import Custodian
from services.devices.models import CustodianKind, Device, DeviceState
from services.people.models import Person

LAPTOPS = ["Dell Latitude 5440", "Lenovo ThinkPad T14 Gen 4", "HP EliteBook 840 G10"]
PHONES = ["iPhone 14", "iPhone 15", "Samsung Galaxy S23"]


def load_agency_devices(agency, actor, hubs, technician=None, today: dt.date | None = None) -> int:
    """`actor` records the hand-overs (a central custody role, e.g. the service desk); `hubs`
    are the demo hubs (demo.data.hubs.load_hubs); `technician` receives the device in
    repair (a user with the technician role; without one it stays at the hub)."""
    today = today or timezone.localdate()
    with tenant_context(agency):
        if Device.objects.exists():
            return 0
        people = list(Person.objects.order_by("pk"))
    rng = random.Random(f"devices-{agency.slug}")  # noqa: S311 - demo data, not secrets
    rows: list[Device] = []
    for n, person in enumerate(people):
        for kind, models, years in (("L", LAPTOPS, 3), ("P", PHONES, 2)):
            # every third device's warranty ends within 60 days, the rest later
            days = rng.randint(10, 55) if len(rows) % 3 == 0 else rng.randint(90, 900)
            warranty = today + dt.timedelta(days=days)
            rows.append(
                Device(
                    serial_number=f"{agency.slug[:4].upper()}-{kind}{n + 1:03d}",
                    model=rng.choice(models),
                    holder=person,
                    warranty_ends_on=warranty,
                    planned_replacement_on=warranty + dt.timedelta(days=365 * years // 3),
                    state=DeviceState.IN_USE,
                    custodian_kind=CustodianKind.PERSON,
                    custodian_ref=person.pk,
                    custodian_since=timezone.now() - dt.timedelta(days=400),
                )
            )
    for i in range(2):
        rows.append(
            Device(
                serial_number=f"{agency.slug[:4].upper()}-S{i + 1:03d}",
                model=LAPTOPS[i],
                warranty_ends_on=today + dt.timedelta(days=700),
                state=DeviceState.IN_STOCK,
                custodian_kind=CustodianKind.AGENCY,
                custodian_since=timezone.now() - dt.timedelta(days=30),
            )
        )
    with tenant_context(agency):
        Device.objects.bulk_create(rows)
        first = Device.objects.filter(holder__isnull=False).order_by("pk").first()
    if first is not None and hubs:
        hub = hubs[rng.randrange(len(hubs))]
        two_days_ago = timezone.now() - dt.timedelta(days=2)
        custody.record_handover(
            agency,
            actor,
            first.pk,
            giver=Custodian(CustodianKind.PERSON, first.holder_id),
            receiver=Custodian(CustodianKind.HUB, hub.pk),
            at=two_days_ago,
            note="Inlämnad för reparation: trasigt tangentbord",
        )
        if technician is not None:
            custody.record_handover(
                agency,
                actor,
                first.pk,
                giver=Custodian(CustodianKind.HUB, hub.pk),
                receiver=Custodian(CustodianKind.TECHNICIAN, technician.pk),
                at=two_days_ago + dt.timedelta(hours=3),
            )
    return len(rows)
