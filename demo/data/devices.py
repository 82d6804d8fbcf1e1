"""Demo devices of an agency: a laptop and a phone per person, two in store; warranty dates
spread from Stockholm's today so some end within 60 days (lifecycle proposals appear, whatever
the day); one laptop in repair through the chain of custody. In two agencies, a hub's loaner is
lent to one of its people through the loan actions: in Stockholm until two weeks ahead, in
Uppsala overdue (lent three weeks ago, due back six days ago: its dates moved back after the
loan). Deterministic per agency and day; idempotent (an agency with devices is left alone)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from django_tenants.utils import tenant_context

from services.devices import custody
from services.devices.custody import Custodian
from services.devices.models import CustodianKind, Device, DeviceKind, DeviceState, Handover, Loan
from services.hubs import actions as hub_actions
from services.hubs.models import StockItem, StockKind, StockState
from services.people.models import Person

# agency slug -> (days the loan is due back from today, days ago it was lent)
LOANS = {"stockholm": (14, 0), "uppsala": (-6, 21)}

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
        for kind, models, years, what in (
            ("L", LAPTOPS, 3, DeviceKind.COMPUTER),
            ("P", PHONES, 2, DeviceKind.PHONE),
        ):
            # every third device's warranty ends within 60 days, the rest later
            days = rng.randint(10, 55) if len(rows) % 3 == 0 else rng.randint(90, 900)
            warranty = today + dt.timedelta(days=days)
            rows.append(
                Device(
                    serial_number=f"{agency.slug[:4].upper()}-{kind}{n + 1:03d}",
                    model=rng.choice(models),
                    kind=what,
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
    if agency.slug in LOANS and hubs:
        load_agency_loan(agency, actor, hubs, *LOANS[agency.slug])
    return len(rows)


def load_agency_loan(agency, actor, hubs, due_in_days: int, lent_days_ago: int) -> Loan | None:
    """Lend the first available loaner of the first hub that has one to the agency's first
    person with an e-mail address (`actor`: hub staff or the service desk). A loan in the past
    is made now, then its dates are moved back, as if it had been made then."""
    item = (
        StockItem.objects.filter(hub__in=hubs, kind=StockKind.LOANER, state=StockState.AVAILABLE)
        .order_by("hub__county", "serial_number")
        .first()
    )
    with tenant_context(agency):
        person = Person.objects.exclude(email="").order_by("pk").first()
    if item is None or person is None:
        return None
    today = timezone.localdate()
    loan = hub_actions.lend_loaner(
        agency,
        actor,
        item.pk,
        person_id=person.pk,
        expected_return=today + dt.timedelta(days=max(due_in_days, 0)),
    )
    if lent_days_ago or due_in_days < 0:
        lent_at = timezone.now() - dt.timedelta(days=lent_days_ago)
        due = today + dt.timedelta(days=due_in_days)
        with tenant_context(agency):
            Loan.objects.filter(pk=loan.pk).update(lent_at=lent_at, expected_return=due)
            Device.objects.filter(pk=loan.device_id).update(custodian_since=lent_at)
            Handover.objects.filter(device_id=loan.device_id).update(at=lent_at)
        StockItem.objects.filter(pk=item.pk).update(due_back_on=due)
    return loan
