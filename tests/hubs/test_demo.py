"""The demo hubs, devices and bookings: what they create, and that loading twice adds nothing."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from demo.data.bookings import load_agency_bookings, nearest_hub
from demo.data.calendars import load_calendars
from demo.data.devices import load_agency_devices
from demo.data.hubs import load_hubs
from services.crossindex.models import IndexEntry
from services.devices.models import Device, Handover
from services.hubs.bookings.models import Booking
from services.hubs.models import Hub, StockItem
from tests.hubs import build

pytestmark = pytest.mark.django_db


def _load(federation):
    hubs = load_hubs(load_calendars())
    agency, desk = federation.alpha, federation.user("desk")
    devices = load_agency_devices(agency, desk, hubs, technician=federation.user("tech"))
    bookings = load_agency_bookings(agency, federation.user("alpha-admin"), desk, hubs)
    return hubs, devices, bookings


def test_demo_loads_hubs_devices_and_bookings_once(federation):
    # given alpha's two people
    build.person(federation.alpha, "Anna Alfa", federation.user("alpha-admin"), "a@x.example")
    build.person(federation.alpha, "Alf Alfa", federation.user("alpha-staff"), "b@x.example")
    federation.alpha.county = "BD"
    # when the demo loads
    hubs, devices, bookings = _load(federation)
    # then five hubs in five counties with stock
    assert sorted(h.county for h in hubs) == ["AB", "AC", "BD", "M", "O"]
    assert StockItem.objects.filter(hub__in=hubs).count() == 35
    # and a laptop and a phone per person plus two in store, some warranties within 60 days
    assert devices == 6
    with schema_context(federation.alpha.schema_name):
        soon = Device.objects.filter(
            warranty_ends_on__lte=timezone.localdate() + dt.timedelta(days=60)
        )
        assert soon.count() >= 1
        in_repair = Device.objects.get(state="in_repair")
        assert in_repair.custodian_kind == "technician"
        assert Handover.objects.filter(device=in_repair).count() == 2
        states = sorted(Booking.objects.values_list("state", flat=True))
    # and bookings at the nearest hub (Luleå for Norrbotten): attended, no-show, two upcoming
    assert nearest_hub(federation.alpha, hubs).city == "Luleå"
    assert bookings == 4
    assert states == ["attended", "booked", "booked", "no_show"]
    assert IndexEntry.objects.filter(agency=federation.alpha, kind="booking").count() == 4
    # when it loads again
    again = _load(federation)
    # then nothing is added
    assert (again[1], again[2]) == (0, 0)
    assert Hub.objects.filter(name__startswith="Servicepunkt").count() == 5
    assert StockItem.objects.filter(hub__in=hubs).count() == 35
