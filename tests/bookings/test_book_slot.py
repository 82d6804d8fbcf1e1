"""Booking a hub slot: the rules, the index row, cancelling, attendance; nothing half-written."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from services.crossindex.models import IndexEntry
from services.devices.models import Device
from services.hubs.bookings import actions
from services.hubs.bookings.models import Booking
from services.hubs.models import SlotLoad
from tests.hubs import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(federation, db):
    return {
        "alpha-staff": build.person(
            federation.alpha, "Anna Alfa", federation.user("alpha-staff"), "anna@alpha.example"
        ),
        "alpha-other": build.person(federation.alpha, "Olle Alfa", None, "", "+46701234567"),
        "beta-staff": build.person(
            federation.beta, "Bo Beta", federation.user("beta-staff"), "bo@beta.example"
        ),
    }


def _book(federation, who, hub, start, agency=None, **kw):
    agency = agency or federation.alpha
    return actions.book_slot(
        agency, federation.user(who), hub_id=hub.pk, service="drop_off", starts_at=start, **kw
    )


def _code(exc_info, field="starts_at"):
    return exc_info.value.error_dict[field][0].code


def _nothing_written(federation, hub):
    with schema_context(federation.alpha.schema_name):
        assert Booking.objects.count() == 0
    assert IndexEntry.objects.filter(kind="booking").count() == 0
    assert list(SlotLoad.objects.filter(hub=hub, booked__gt=0)) == []


def test_staff_book_a_slot_for_themselves_with_its_index_row(federation, hub, people):
    start = build.at(build.open_day(), 10)
    # when alpha's staff book a drop-off
    booking = _book(federation, "alpha-staff", hub, start)
    # then the booking is theirs, in alpha's schema, to the end of the slot
    with schema_context(federation.alpha.schema_name):
        booking = Booking.objects.get(pk=booking.pk)
        assert booking.person_id == people["alpha-staff"].pk
        assert booking.ends_at == start + dt.timedelta(minutes=30)
        assert (booking.state, booking.remind_by) == ("booked", "email")
    # and the slot's public load and the index row say so, without personal data
    assert SlotLoad.objects.get(hub=hub, starts_at=start).booked == 1
    entry = IndexEntry.objects.get(agency=federation.alpha, kind="booking", local_id=booking.pk)
    assert (entry.state, entry.due_at, entry.group, entry.escalation) == (
        "booked",
        start,
        str(hub.pk),
        0,
    )


def test_admins_book_for_their_people_and_staff_only_for_themselves(federation, hub, people):
    start = build.at(build.open_day(), 11)
    # when alpha's admin books for a person without e-mail
    booking = _book(federation, "alpha-admin", hub, start, person_id=people["alpha-other"].pk)
    # then the reminder goes by SMS
    assert booking.remind_by == "sms"
    # when staff try to book for someone else
    with pytest.raises(PermissionDenied):
        _book(
            federation,
            "alpha-staff",
            hub,
            start + dt.timedelta(minutes=30),
            person_id=people["alpha-other"].pk,
        )
    # when beta's admin names alpha's person while booking in beta
    with pytest.raises(ValidationError) as exc:
        _book(
            federation,
            "beta-admin",
            hub,
            start,
            agency=federation.beta,
            person_id=people["alpha-other"].pk + 1000,
        )
    assert _code(exc, "person") == "not_found"
    # when beta's admin acts on alpha
    with pytest.raises(PermissionDenied):
        _book(federation, "beta-admin", hub, start + dt.timedelta(minutes=60))
    assert SlotLoad.objects.get(hub=hub, starts_at=start).booked == 1


@pytest.mark.parametrize(
    "when,code",
    [
        (lambda d: build.at(d, 7, 30), "outside_hours"),
        (lambda d: build.at(d, 10, 10), "off_grid"),
        (lambda d: build.at(build.holiday_on_weekday(), 10), "closed"),
        (lambda d: build.at(timezone.localdate() - dt.timedelta(days=1), 10), "in_past"),
    ],
    ids=["outside-hours", "off-grid", "holiday", "past"],
)
def test_bad_slots_are_refused_and_nothing_is_written(
    federation, hub, people, when, code, settings
):
    # the next holiday on a weekday can be half a year away (after midsummer): beyond the
    # booking horizon, which has a test of its own (tests/security/test_dates_in_range.py)
    settings.SAMNAV_BOOKING_HORIZON_DAYS = 400
    with pytest.raises(ValidationError) as exc:
        _book(federation, "alpha-staff", hub, when(build.open_day()))
    assert _code(exc) == code
    _nothing_written(federation, hub)


def test_over_capacity_unknown_device_ticket_or_service_are_refused(federation, hub, people):
    start = build.at(build.open_day(), 12)
    # given a full slot (capacity 2: one from beta, one from alpha)
    _book(federation, "beta-staff", hub, start, agency=federation.beta)
    _book(federation, "alpha-admin", hub, start, person_id=people["alpha-other"].pk)
    # when alpha's staff try the same slot
    with pytest.raises(ValidationError) as exc:
        _book(federation, "alpha-staff", hub, start)
    assert _code(exc) == "over_capacity"
    # when they name a device or ticket that is not alpha's
    later = start + dt.timedelta(minutes=30)
    with schema_context(federation.beta.schema_name):
        beta_device = Device.objects.create(serial_number="HT-B-1", model="X1")
    with pytest.raises(ValidationError) as exc:
        _book(federation, "alpha-staff", hub, later, device_id=beta_device.pk)
    assert _code(exc, "device") == "not_found"
    with pytest.raises(ValidationError) as exc:
        _book(federation, "alpha-staff", hub, later, ticket_id=987654)
    assert _code(exc, "ticket") == "not_found"
    # when the hub does not offer the service, or does not exist
    hub.services = ["pick_up"]
    hub.save()
    with pytest.raises(ValidationError) as exc:
        _book(federation, "alpha-staff", hub, later)
    assert _code(exc, "service") == "not_offered"
    with pytest.raises(ValidationError) as exc:
        actions.book_slot(
            federation.alpha,
            federation.user("alpha-staff"),
            hub_id=hub.pk + 999,
            service="drop_off",
            starts_at=later,
        )
    assert _code(exc, "hub") == "not_found"
    # then only the two first bookings hold places
    assert SlotLoad.objects.get(hub=hub, starts_at=start).booked == 2
    assert SlotLoad.objects.filter(hub=hub, starts_at=later, booked__gt=0).count() == 0
    with schema_context(federation.alpha.schema_name):
        assert Booking.objects.count() == 1


def test_the_same_person_cannot_hold_one_slot_twice(federation, hub, people):
    start = build.at(build.open_day(), 13)
    _book(federation, "alpha-staff", hub, start)
    with pytest.raises(ValidationError) as exc:
        _book(federation, "alpha-staff", hub, start)
    assert _code(exc) == "already_booked"
    assert SlotLoad.objects.get(hub=hub, starts_at=start).booked == 1


def test_cancelling_frees_the_place_and_only_the_holder_or_admin_may(federation, hub, people):
    start = build.at(build.open_day(), 14)
    booking = _book(federation, "alpha-staff", hub, start)
    other = _book(federation, "alpha-admin", hub, start, person_id=people["alpha-other"].pk)
    # when alpha's staff try to cancel someone else's booking
    with pytest.raises(PermissionDenied):
        actions.cancel_booking(federation.alpha, federation.user("alpha-staff"), other.pk)
    # when beta's admin tries to cancel alpha's booking (no role in alpha)
    with pytest.raises(PermissionDenied):
        actions.cancel_booking(federation.alpha, federation.user("beta-admin"), booking.pk)
    assert SlotLoad.objects.get(hub=hub, starts_at=start).booked == 2
    # when the holder cancels
    cancelled = actions.cancel_booking(federation.alpha, federation.user("alpha-staff"), booking.pk)
    # then the place is free and the index row says cancelled
    assert cancelled.state == "cancelled"
    assert SlotLoad.objects.get(hub=hub, starts_at=start).booked == 1
    assert IndexEntry.objects.get(local_id=booking.pk, kind="booking").state == "cancelled"
    # and cancelling twice is refused
    with pytest.raises(ValidationError) as exc:
        actions.cancel_booking(federation.alpha, federation.user("alpha-staff"), booking.pk)
    assert _code(exc, "booking") == "invalid_state"
    assert SlotLoad.objects.get(hub=hub, starts_at=start).booked == 1


def test_hub_staff_and_the_desk_mark_attendance_agency_people_do_not(
    federation, hub, hubber, people
):
    booking = _book(federation, "alpha-staff", hub, build.at(build.open_day(), 15))
    for who in ("alpha-admin", "tech", "fin"):
        with pytest.raises(PermissionDenied):
            actions.mark_attended(federation.alpha, federation.user(who), booking.pk)
    with schema_context(federation.alpha.schema_name):
        assert Booking.objects.get(pk=booking.pk).state == "booked"
    attended = actions.mark_attended(federation.alpha, hubber, booking.pk)
    assert attended.state == "attended"
    assert IndexEntry.objects.get(local_id=booking.pk, kind="booking").state == "attended"
    desk_too = _book(federation, "alpha-staff", hub, build.at(build.open_day(), 9))
    assert actions.mark_attended(federation.alpha, federation.user("desk"), desk_too.pk).state == (
        "attended"
    )
