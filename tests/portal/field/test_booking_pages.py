"""Hub bookings in the portal (agency host): find a hub, see its free slots (htmx partial),
book, see and cancel bookings. Errors next to the field; no page shows another agency's
bookings or lets it change them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from services.hubs.bookings.models import Booking
from services.hubs.models import SlotLoad
from tests.graphql import host_of
from tests.hubs import build
from tests.portal.client import count_queries, portal_client
from tests.portal.field.conftest import EN, book

pytestmark = pytest.mark.django_db


def _form(hub, day, hour, minute=0, **extra):
    data = {
        "hub": hub.pk,
        "starts_at": build.at(day, hour, minute).isoformat(),
        "service": "drop_off",
        "remind_by": "",
    }
    data.update(extra)
    return data


def test_hubs_show_address_hours_and_services_and_filter_by_county(federation, fld, hub):
    build.make_hub(hub.calendar, name="hubtest Malmö", county="M", services=["pick_up"])
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    page = client.get("/bookings/?county=AB", **EN)
    assert [h.name for h in page.context["hubs"]] == ["hubtest Stockholm"]
    html = page.content.decode()
    assert "Hamngatan 1" in html and "111 47 Stockholm" in html
    assert "Monday 09:00–16:00" in html
    assert "Drop-off for repair" in html and "Loaner swap" in html
    assert [h.name for h in client.get("/bookings/").context["hubs"]] == [
        "hubtest Stockholm",
        "hubtest Malmö",
    ]


def test_the_slot_partial_shows_the_free_places_of_a_hub_and_date(federation, fld, hub):
    day = build.open_day()
    book(federation, hub, "alpha-admin", day=day, hour=9)
    book(federation, hub, "beta-staff", day=day, hour=9)  # the 09:00 slot is now full
    book(federation, hub, "beta-admin", day=day, hour=10)
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    partial = client.get(
        "/bookings/slots/", {"hub": hub.pk, "day": day.isoformat()}, HTTP_HX_REQUEST="true", **EN
    )
    html = partial.content.decode()
    assert "<html" not in html
    assert [(s["slot"].starts_at.hour, s["slot"].free) for s in partial.context["slots"]][:4] == [
        (9, 0),
        (9, 2),
        (10, 1),
        (10, 2),
    ]
    assert "Fully booked" in html and "1 place left" in html
    # nothing of the other bookings' people is shown
    assert "Beta" not in html and "Admin of alpha" not in html


def test_staff_book_a_slot_for_their_ticket_and_cancel_it(federation, fld, hub):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    day = build.open_day()
    response = client.post(
        "/bookings/", _form(hub, day, 10, 30, ticket=fld.tickets["alpha-staff"], remind_by="sms")
    )
    assert response.status_code == 302
    with schema_context("agency_alpha"):
        booking = Booking.objects.get()
        assert (booking.state, booking.ticket_id, booking.remind_by, booking.person.name) == (
            "booked",
            fld.tickets["alpha-staff"],
            "sms",
            "Staff of alpha",
        )
    assert SlotLoad.objects.get(hub=hub).booked == 1
    listing = client.get("/bookings/")
    assert [b.pk for b in listing.context["page"]] == [booking.pk]
    # when the staff member cancels it
    client.post(f"/bookings/{booking.pk}/cancel/")
    with schema_context("agency_alpha"):
        assert Booking.objects.get().state == "cancelled"
    assert SlotLoad.objects.get(hub=hub).booked == 0


def test_a_slot_outside_opening_hours_is_an_error_next_to_the_slot(federation, fld, hub):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    day = build.open_day()
    response = client.post(
        "/bookings/", _form(hub, day, 7, ticket=fld.tickets["alpha-staff"]), **EN
    )
    assert response.status_code == 400
    assert response.context["book_form"].errors == {
        "starts_at": ["The hub is not open at that time."]
    }
    html = response.content.decode()
    assert 'id="slot-error"' in html
    # what was chosen stays chosen
    assert f'<option value="{fld.tickets["alpha-staff"]}" selected>' in html
    with schema_context("agency_alpha"):
        assert not Booking.objects.exists()


def test_a_full_slot_is_refused_and_nothing_is_written(federation, fld, hub):
    day = build.open_day()
    book(federation, hub, "beta-staff", day=day, hour=11)
    book(federation, hub, "beta-admin", day=day, hour=11)
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    response = client.post("/bookings/", _form(hub, day, 11, service="pick_up"), **EN)
    assert response.status_code == 400
    assert response.context["book_form"].errors == {"starts_at": ["This slot is fully booked."]}
    assert 'value="pick_up" selected' in response.content.decode()
    with schema_context("agency_alpha"):
        assert not Booking.objects.exists()
    assert SlotLoad.objects.get(hub=hub).booked == 2


def test_staff_cannot_cancel_someone_elses_booking(federation, fld, hub):
    theirs = book(federation, hub, "alpha-admin")
    staff = portal_client(federation.alpha, federation.user("alpha-staff"))
    assert staff.post(f"/bookings/{theirs.pk}/cancel/").status_code == 403
    assert theirs.pk not in [b.pk for b in staff.get("/bookings/?scope=agency").context["page"]]
    admin = portal_client(federation.alpha, federation.user("alpha-admin"))
    assert [b.pk for b in admin.get("/bookings/?scope=agency").context["page"]] == [theirs.pk]
    with schema_context("agency_alpha"):
        assert Booking.objects.get().state == "booked"


def test_another_agency_cannot_see_or_cancel_alphas_bookings(federation, fld, hub):
    booking = book(federation, hub, "alpha-staff")
    on_alpha = portal_client(federation.alpha, federation.user("beta-admin"))
    assert on_alpha.get("/bookings/").status_code == 403
    assert on_alpha.post(f"/bookings/{booking.pk}/cancel/").status_code == 403
    beta = portal_client(federation.beta, federation.user("beta-admin"))
    assert beta.post(f"/bookings/{booking.pk}/cancel/").status_code == 302  # not found there
    assert list(beta.get("/bookings/?scope=agency").context["page"]) == []
    with schema_context("agency_alpha"):
        assert Booking.objects.get().state == "booked"
    assert SlotLoad.objects.get(hub=hub).booked == 1


def test_booking_needs_the_csrf_token(federation, fld, hub):
    client = Client(HTTP_HOST=host_of(federation.alpha), enforce_csrf_checks=True)
    client.force_login(federation.user("alpha-staff"))
    response = client.post("/bookings/", _form(hub, build.open_day(), 9))
    assert response.status_code == 403
    with schema_context("agency_alpha"):
        assert not Booking.objects.exists()


def test_my_bookings_cost_the_same_for_2_and_10_and_are_paginated(federation, fld, hub):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    day = build.open_day()
    for hour in (9, 10):
        book(federation, hub, day=day, hour=hour)
    client.get("/bookings/")
    few, first = count_queries(lambda: client.get("/bookings/"))
    for i in range(8):
        book(federation, hub, day=day, hour=11 + i // 2, minute=30 * (i % 2))
    many, second = count_queries(lambda: client.get("/bookings/"))
    assert (len(first.context["page"]), len(second.context["page"])) == (2, 10)
    assert many == few
    # sixteen more over two later days (fourteen slots a day): 26 in all
    today = timezone.localdate()
    first_day = build.open_day((day - today).days + 3)
    second_day = build.open_day((first_day - today).days + 1)
    for i in range(16):
        when = first_day if i < 14 else second_day
        book(federation, hub, day=when, hour=9 + (i % 14) // 2, minute=30 * (i % 2))
    assert len(client.get("/bookings/?page=2").context["page"]) == 1
