"""Fixtures of the field pages: technicians, people with addresses and tickets (tests/visits),
a hub open on weekdays 09-16 with capacity 2 and hub staff (tests/hubs)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from services.devices import actions as devices
from services.field.visits import actions as visits
from services.field.visits.models import Visit
from services.hubs.bookings import actions as bookings
from tests.hubs import build
from tests.visits.fixtures import fld  # noqa: F401 - a fixture

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def hub(db):
    return build.make_hub(build.hours_calendar())


@pytest.fixture
def hubber(db):
    return build.hub_staff()


def request_visit(federation, field, who="alpha-staff", windows=None, **extra):
    """A visit requested through the action, in Stockholm county."""
    agency = federation.alpha if who.startswith("alpha") else federation.beta
    return visits.request_visit(
        agency,
        federation.user(who),
        visits.NewVisit(
            ticket_id=field.tickets[extra.pop("ticket_of", who)],
            place_kind="home",
            windows=windows or field.windows((0, 9, 11), (1, 13, 15)),
            county="AB",
            **extra,
        ),
    )


def dispatched(federation, field, who="alpha-staff", tech="tech", today=False, day=0):
    """A visit dispatched to `tech` for 09-11 on the Monday ahead plus `day` days; with
    today=True its confirmed time is then moved to now (the state a visit is in on its day)."""
    agency = federation.alpha if who.startswith("alpha") else federation.beta
    visit = request_visit(federation, field, who, windows=field.windows((day, 9, 11)))
    with schema_context(agency.schema_name):
        window = visit.windows.order_by("starts_at").first()
    visits.dispatch_visit(
        agency,
        federation.user("desk"),
        visit.pk,
        technician_id=field.techs[tech].pk,
        window_id=window.pk,
    )
    if today:
        now = timezone.localtime()
        start = now.replace(second=0, microsecond=0)
        with schema_context(agency.schema_name):
            Visit.objects.filter(pk=visit.pk).update(
                confirmed_start=start, confirmed_end=start + dt.timedelta(minutes=1)
            )
    with schema_context(agency.schema_name):
        return Visit.objects.get(pk=visit.pk)


def book(federation, hub, who="alpha-staff", day=None, hour=9, minute=0, **extra):
    agency = federation.alpha if who.startswith("alpha") else federation.beta
    return bookings.book_slot(
        agency,
        federation.user(who),
        hub_id=hub.pk,
        service=extra.pop("service", "drop_off"),
        starts_at=build.at(day or build.open_day(), hour, minute),
        **extra,
    )


def device(federation, serial, who="alpha-admin", holder=None):
    agency = federation.alpha if who.startswith("alpha") else federation.beta
    return devices.register_device(
        agency,
        federation.user(who),
        devices.DeviceInput(serial_number=serial, model="Latitude 5450", holder_id=holder),
    )
