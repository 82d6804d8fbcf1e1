"""Real concurrent bookings from two agencies for one slot: exactly `capacity` win.

These tests commit (other connections cannot see a test's open transaction), so they build
their own rows and delete them afterwards."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from services.calendars.models import BusinessCalendar
from services.crossindex.models import IndexEntry
from services.hubs.bookings import actions
from services.hubs.bookings.models import Booking
from services.hubs.models import Hub, SlotLoad
from services.people.models import Person
from tests.concurrency import clear_outboxes, in_thread, run_together
from tests.hubs import build

pytestmark = pytest.mark.django_db

BOOKERS_PER_AGENCY = 4
CAPACITY = 3


def _setup(federation):
    calendar = build.hours_calendar("hubrace hours")
    hub = build.make_hub(calendar, name="hubrace hub", capacity=CAPACITY)
    people = []
    for agency in (federation.alpha, federation.beta):
        for i in range(BOOKERS_PER_AGENCY):
            people.append((agency, build.person(agency, f"hubrace {agency.slug} {i}")))
    return hub, people


def _cleanup(federation):
    # DELETE, not TRUNCATE: TRUNCATE would wait for the test transaction's read locks.
    for agency in (federation.alpha, federation.beta):
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {agency.schema_name}.bookings_booking")
        with schema_context(agency.schema_name):
            Person.objects.filter(name__startswith="hubrace ").delete()
    IndexEntry.objects.filter(kind="booking").delete()
    SlotLoad.objects.filter(hub__name="hubrace hub").delete()
    Hub.objects.filter(name="hubrace hub").delete()
    BusinessCalendar.objects.filter(name="hubrace hours").delete()
    clear_outboxes(federation.alpha, federation.beta)


@pytest.fixture
def committed(federation):
    try:
        yield in_thread(lambda: _setup(federation))
    finally:
        in_thread(lambda: _cleanup(federation))


def test_more_bookers_than_capacity_from_two_agencies_exactly_capacity_win(federation, committed):
    # given a slot of capacity 3 and 8 people (4 in alpha, 4 in beta) booked by their admins
    hub, people = committed
    start = build.at(build.open_day(), 10)

    def book(i):
        agency, person = people[i]
        admin = federation.user(f"{agency.slug}-admin")
        return actions.book_slot(
            agency, admin, hub_id=hub.pk, service="drop_off", starts_at=start, person_id=person.pk
        )

    # when all 8 book the same slot at once
    results = run_together(len(people), book)
    # then exactly 3 win and 5 are refused as over capacity
    won = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == CAPACITY, results
    assert len(refused) == len(people) - CAPACITY
    assert all(e.error_dict["starts_at"][0].code == "over_capacity" for e in refused)
    # and the public load, the agencies' bookings and the index agree
    assert SlotLoad.objects.get(hub=hub, starts_at=start).booked == CAPACITY
    held = 0
    for agency in (federation.alpha, federation.beta):
        with schema_context(agency.schema_name):
            held += Booking.objects.filter(hub_id=hub.pk, state="booked").count()
    assert held == CAPACITY
    assert IndexEntry.objects.filter(kind="booking", group=str(hub.pk)).count() == CAPACITY
