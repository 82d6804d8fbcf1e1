"""A hub's day on the central host: bookings of every agency (from the index; who is coming
read inside each agency's schema), marking attended, device hand-overs at the desk, and the
hub's stock. Only hub staff, the service desk and platform admins."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services.devices.models import Device, Handover
from services.hubs.bookings.models import Booking
from tests.graphql import host_of
from tests.hubs import build
from tests.portal.client import count_queries, portal_client
from tests.portal.field.conftest import EN, book, device

pytestmark = pytest.mark.django_db


def _url(hub, day):
    return f"/hubs/bookings/?hub={hub.pk}&day={day.isoformat()}"


def test_hub_staff_see_the_days_bookings_of_every_agency(federation, fld, hub, hubber):
    day = build.open_day()
    a = book(federation, hub, "alpha-staff", day=day, hour=9)
    b = book(federation, hub, "beta-staff", day=day, hour=10, service="pick_up")
    book(federation, hub, "beta-admin", day=build.open_day(9), hour=9)  # another day
    build.stock(hub, "L-1", "loaner")
    build.stock(hub, "L-2", "loaner", state="lent")
    client = portal_client(None, hubber)
    response = client.get(_url(hub, day), **EN)
    rows = [(r["entry"].agency.slug, r["booking"].pk) for r in response.context["rows"]]
    assert rows == [("alpha", a.pk), ("beta", b.pk)]
    html = response.content.decode()
    assert "Staff of alpha" in html and "Staff of beta" in html and "Admin of beta" not in html
    counts = {(k, s): n for k, s, n in response.context["stock_counts"]}
    assert (counts[("Loaner", "Available")], counts[("Loaner", "Lent")]) == (1, 1)


def test_hub_staff_mark_attended(federation, fld, hub, hubber):
    day = build.open_day()
    booking = book(federation, hub, "beta-staff", day=day)
    client = portal_client(None, hubber)
    response = client.post(
        f"/hubs/bookings/{federation.beta.pk}/{booking.pk}/attended/",
        {"hub": hub.pk, "day": day.isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == _url(hub, day)
    with schema_context("agency_beta"):
        assert Booking.objects.get().state == "attended"


def test_the_hub_pages_are_central_its_only(federation, fld, hub):
    booking = book(federation, hub, "alpha-staff")
    url = f"/hubs/bookings/{federation.alpha.pk}/{booking.pk}/"
    for name in ("fin", "cat", "tech", "alpha-admin", "nobody"):
        client = portal_client(None, federation.user(name))
        assert client.get("/hubs/bookings/").status_code == 403, name
        assert client.post(url + "attended/").status_code == 403, name
        assert client.post(url + "handover/", {"direction": "in"}).status_code == 403, name
    # an agency host has no such page
    admin = portal_client(federation.alpha, federation.user("alpha-admin"))
    assert admin.get("/hubs/bookings/").status_code == 404
    with schema_context("agency_alpha"):
        assert Booking.objects.get().state == "booked"
    assert portal_client(None, federation.user("desk")).get("/hubs/bookings/").status_code == 200


def test_a_device_goes_person_to_hub_to_technician_and_back(federation, fld, hub, hubber):
    holder = fld.people["alpha-staff"]
    laptop = device(federation, "SN-100", holder=holder.pk)
    day = build.open_day()
    booking = book(federation, hub, "alpha-staff", day=day, device_id=laptop.pk)
    client = portal_client(None, hubber)
    url = f"/hubs/bookings/{federation.alpha.pk}/{booking.pk}/handover/"
    form = {"hub": hub.pk, "day": day.isoformat()}
    # a hand-over from the hub before the device is there is refused, nothing written
    client.post(url, {**form, "direction": "out"})
    with schema_context("agency_alpha"):
        assert not Handover.objects.exists()
    client.post(url, {**form, "direction": "in"})
    client.post(url, {**form, "direction": "technician", "technician": federation.user("tech").pk})
    with schema_context("agency_alpha"):
        row = Device.objects.get()
        assert (row.custodian_kind, row.custodian_ref, row.state) == (
            "technician",
            federation.user("tech").pk,
            "in_repair",
        )
        chain = [(h.from_kind, h.to_kind, h.where_hub_id) for h in Handover.objects.all()]
    assert chain == [("person", "hub", hub.pk), ("hub", "technician", hub.pk)]


def test_the_day_list_costs_the_same_for_2_and_10_bookings(federation, fld, hub, hubber):
    day = build.open_day()
    client = portal_client(None, hubber)
    book(federation, hub, "alpha-staff", day=day, hour=9)
    book(federation, hub, "beta-staff", day=day, hour=9)
    client.get(_url(hub, day))
    few, first = count_queries(lambda: client.get(_url(hub, day)))
    for i in range(8):
        who = ("alpha-staff", "beta-staff", "alpha-admin", "beta-admin")[i % 4]
        book(federation, hub, who, day=day, hour=10 + i // 2)  # two a slot
    many, second = count_queries(lambda: client.get(_url(hub, day)))
    assert (len(first.context["rows"]), len(second.context["rows"])) == (2, 10)
    assert many == few


def test_marking_attended_needs_the_csrf_token(federation, fld, hub, hubber):
    booking = book(federation, hub, "alpha-staff")
    client = Client(HTTP_HOST=host_of(None), enforce_csrf_checks=True)
    client.force_login(hubber)
    response = client.post(f"/hubs/bookings/{federation.alpha.pk}/{booking.pk}/attended/")
    assert response.status_code == 403
    with schema_context("agency_alpha"):
        assert Booking.objects.get().state == "booked"
