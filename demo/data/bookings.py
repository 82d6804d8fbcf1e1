"""Demo hub bookings of an agency at its nearest hub: two past (one attended, one no-show)
and two upcoming, through the real actions. Each lies on the hub's first open day on or
before (past) or on or after (upcoming) a day counted from Stockholm's today, so weekends,
holidays and the hour of loading change the days but never the four bookings. Deterministic
per agency and instant; idempotent (an agency with bookings is left alone)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tenants.utils import tenant_context

from services.devices.models import Device
from services.hubs import slots
from services.hubs.bookings import actions
from services.hubs.bookings.models import Booking
from services.hubs.models import HubService
from services.people.models import Person
from tenants.counties import distance_km

# The past bookings were made this many days before now: room to look back from their day
# over a long closure (Christmas to Twelfth Night).
BOOKED_AHEAD_DAYS = 21


def nearest_hub(agency, hubs):
    if not hubs:
        return None
    if not agency.county:
        return hubs[0]
    return min(hubs, key=lambda h: (distance_km(agency.county, h.county), h.pk))


def _first_free(hub, day: dt.date, after: dt.datetime, agency, step: int):
    """A free slot of the first open day from `day` on (moving `step` days: -1 looks back)."""
    for _ in range(30):
        found = [s for s in slots.day_slots(hub, day, agency=agency, now=after) if s.free]
        if found:
            return found[len(found) // 3].starts_at
        day += dt.timedelta(days=step)
    return None


def load_agency_bookings(agency, admin, desk, hubs, now: dt.datetime | None = None) -> int:
    """`admin` is the agency's admin (books for its people), `desk` a service-desk agent (marks
    attendance); `hubs` from demo.data.hubs.load_hubs."""
    now = now or timezone.now()
    hub = nearest_hub(agency, hubs)
    with tenant_context(agency):
        if hub is None or Booking.objects.exists():
            return 0
        people = list(Person.objects.order_by("pk"))
        device_of = {d.holder_id: d.pk for d in Device.objects.filter(holder__isnull=False)}
    if not people:
        return 0
    today = timezone.localdate(now)
    plans = [  # days from today, service, fate
        (-9, HubService.DROP_OFF, "attended"),
        (-6, HubService.PICK_UP, "no_show"),
        (2, HubService.PICK_UP, None),
        (5, HubService.DROP_OFF, None),
    ]
    made = 0
    for i, (days, service, fate) in enumerate(plans):
        if not hub.offers(service):
            continue
        person = people[i % len(people)]
        day = today + dt.timedelta(days=days)
        past = days < 0
        booked_at = now - dt.timedelta(days=BOOKED_AHEAD_DAYS) if past else now
        start = _first_free(hub, day, booked_at, agency, -1 if past else 1)
        if start is None:
            continue
        booking = actions.book_slot(
            agency,
            admin,
            hub_id=hub.pk,
            service=service,
            starts_at=start,
            person_id=person.pk,
            device_id=device_of.get(person.pk),
            now=booked_at,
        )
        if fate == "attended" and start < now:
            actions.mark_attended(agency, desk, booking.pk, now=start)
        elif fate == "no_show" and start < now:
            actions.record_no_show(agency, booking.pk, now=now)
        made += 1
    return made
