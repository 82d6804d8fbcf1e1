"""Hub bookings through GraphQL: book, list, cancel, the hub's day, attendance; isolation."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.hubs.bookings import actions
from services.hubs.bookings.models import Booking
from services.hubs.models import SlotLoad
from tests.graphql import gql
from tests.hubs import build

pytestmark = pytest.mark.django_db

BOOK = """mutation($input: BookHubSlotInput!) { bookHubSlot(input: $input) {
  booking { id centralId service state startsAt endsAt remindBy hub { name } person { name } }
  errors { field code message } } }"""
MINE = """{ myHubBookings(first: 50) { totalCount edges { node { id state person { name }
  hub { name city } device { serialNumber } ticketId } } } }"""
CANCEL = """mutation($id: ID!) { cancelHubBooking(booking: $id) {
  booking { state } errors { field code } } }"""
DAY = """query($hub: ID!, $date: Date!) { hubBookings(first: 50, hub: $hub, date: $date) {
  totalCount edges { node { bookingId state startsAt agency { slug } } } } }"""
DETAIL = """query($id: ID!) { agencyHubBooking(id: $id) { state service person { name }
  hub { name } } }"""
ATTEND = """mutation($id: ID!) { markBookingAttended(booking: $id) {
  booking { state } errors { field code } } }"""


@pytest.fixture
def people(federation, db):
    return {
        "anna": build.person(
            federation.alpha, "Anna Alfa", federation.user("alpha-staff"), "a@alpha.example"
        ),
        "alf": build.person(federation.alpha, "Alf Alfa", federation.user("alpha-admin"), ""),
        "bo": build.person(
            federation.beta, "Bo Beta", federation.user("beta-staff"), "bo@beta.example"
        ),
    }


def _input(hub, start, **extra):
    return {
        "hub": to_global_id("Hub", hub.pk),
        "service": "DROP_OFF",
        "startsAt": start.isoformat(),
        **extra,
    }


def test_staff_book_through_graphql_and_errors_come_as_data(federation, hub, people, settings):
    # the next holiday on a weekday can be half a year away: within the horizon for this test
    settings.SAMNAV_BOOKING_HORIZON_DAYS = 400
    day = build.open_day()
    # when alpha's staff book a slot
    response = gql(
        BOOK,
        {"input": _input(hub, build.at(day, 10))},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    )
    payload = response.data["bookHubSlot"]
    assert payload["errors"] == []
    assert payload["booking"]["person"]["name"] == "Anna Alfa"
    assert payload["booking"]["state"] == "BOOKED"
    assert dt.datetime.fromisoformat(payload["booking"]["endsAt"]) == build.at(day, 10, 30)
    # when they book off the grid, at a holiday, or name an unknown device
    for bad, field, code in (
        (_input(hub, build.at(day, 10, 5)), "startsAt", "OFF_GRID"),
        (_input(hub, build.at(day, 18)), "startsAt", "OUTSIDE_HOURS"),
        (_input(hub, build.at(build.holiday_on_weekday(), 10)), "startsAt", "CLOSED"),
        (
            _input(hub, build.at(day, 11), device=to_global_id("Device", 999999)),
            "device",
            "NOT_FOUND",
        ),
        ({**_input(hub, build.at(day, 11)), "hub": "Hub:nonsense"}, "hub", "NOT_FOUND"),
    ):
        payload = gql(
            BOOK, {"input": bad}, agency=federation.alpha, user=federation.user("alpha-staff")
        ).data["bookHubSlot"]
        assert payload["booking"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    # then only the first booking exists
    with schema_context(federation.alpha.schema_name):
        assert Booking.objects.count() == 1
    # and nobody books on the central host
    payload = gql(BOOK, {"input": _input(hub, build.at(day, 12))}, user=federation.user("desk"))
    assert payload.data["bookHubSlot"]["errors"][0]["code"] == "PERMISSION_DENIED"


def test_over_capacity_through_graphql(federation, hub, people):
    start = build.at(build.open_day(), 13)
    for agency, who in ((federation.beta, "beta-staff"), (federation.alpha, "alpha-admin")):
        gql(BOOK, {"input": _input(hub, start)}, agency=agency, user=federation.user(who))
    payload = gql(
        BOOK,
        {"input": _input(hub, start)},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    ).data["bookHubSlot"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("startsAt", "OVER_CAPACITY")]
    assert SlotLoad.objects.get(hub=hub, starts_at=start).booked == 2


def _book(federation, agency, admin, person, hub, start):
    return actions.book_slot(
        agency,
        federation.user(admin),
        hub_id=hub.pk,
        service="drop_off",
        starts_at=start,
        person_id=person.pk,
    )


def test_agencies_see_only_their_own_bookings_staff_only_theirs(federation, hub, people):
    day = build.open_day()
    _book(federation, federation.alpha, "alpha-admin", people["anna"], hub, build.at(day, 9))
    _book(federation, federation.alpha, "alpha-admin", people["alf"], hub, build.at(day, 9, 30))
    _book(federation, federation.beta, "beta-admin", people["bo"], hub, build.at(day, 9))

    def names(agency, user):
        response = gql(MINE, agency=agency, user=federation.user(user))
        return sorted(e["node"]["person"]["name"] for e in response.data["myHubBookings"]["edges"])

    assert names(federation.alpha, "alpha-admin") == ["Alf Alfa", "Anna Alfa"]
    assert names(federation.alpha, "alpha-staff") == ["Anna Alfa"]
    assert names(federation.beta, "beta-admin") == ["Bo Beta"]
    assert names(None, "desk") == []  # the agency lists are for the agency's host
    assert names(None, "alpha-admin") == []


def test_b_cannot_cancel_as_bookings_even_by_guessing_ids(federation, hub, people):
    booking = _book(
        federation,
        federation.alpha,
        "alpha-admin",
        people["anna"],
        hub,
        build.at(build.open_day(), 14),
    )
    guessed = to_global_id("HubBooking", booking.pk)
    # when beta's admin sends alpha's booking id on beta's host
    payload = gql(
        CANCEL, {"id": guessed}, agency=federation.beta, user=federation.user("beta-admin")
    ).data["cancelHubBooking"]
    # then beta has no such booking, and alpha's is untouched
    assert payload["errors"][0]["code"] == "NOT_FOUND"
    # when beta's admin tries alpha's host
    denied = gql(
        CANCEL, {"id": guessed}, agency=federation.alpha, user=federation.user("beta-admin")
    )
    assert denied.status == 403
    with schema_context(federation.alpha.schema_name):
        assert Booking.objects.get(pk=booking.pk).state == "booked"
    # when alpha's staff cancel their own
    payload = gql(
        CANCEL, {"id": guessed}, agency=federation.alpha, user=federation.user("alpha-staff")
    ).data["cancelHubBooking"]
    assert payload == {"booking": {"state": "CANCELLED"}, "errors": []}


def test_hub_staff_see_the_days_list_and_open_one_booking(federation, hub, hubber, people):
    day = build.open_day()
    a = _book(federation, federation.alpha, "alpha-admin", people["anna"], hub, build.at(day, 9))
    _book(federation, federation.beta, "beta-admin", people["bo"], hub, build.at(day, 10))
    variables = {"hub": to_global_id("Hub", hub.pk), "date": day.isoformat()}
    # when hub staff list the hub's day on the central host
    response = gql(DAY, variables, user=hubber)
    edges = response.data["hubBookings"]["edges"]
    # then both agencies' bookings are there, in time order, without personal data
    assert [(e["node"]["agency"]["slug"], e["node"]["state"]) for e in edges] == [
        ("alpha", "BOOKED"),
        ("beta", "BOOKED"),
    ]
    assert "person" not in str(response.body)
    central = edges[0]["node"]["bookingId"]
    # when they open alpha's booking
    detail = gql(DETAIL, {"id": central}, user=hubber).data["agencyHubBooking"]
    assert detail == {
        "state": "BOOKED",
        "service": "DROP_OFF",
        "person": {"name": "Anna Alfa"},
        "hub": {"name": hub.name},
    }
    # then agency people and finance see neither the list nor the booking
    for agency, who in ((None, "alpha-admin"), (None, "fin"), (federation.alpha, "alpha-admin")):
        user = federation.user(who)
        assert gql(DAY, variables, agency=agency, user=user).data["hubBookings"]["totalCount"] == 0
        assert (
            gql(DETAIL, {"id": central}, agency=agency, user=user).data["agencyHubBooking"] is None
        )
    # and they cannot mark attendance, even with the central id
    for who in ("alpha-admin", "beta-admin", "fin", "tech"):
        payload = gql(ATTEND, {"id": central}, user=federation.user(who)).data
        assert payload["markBookingAttended"]["errors"][0]["code"] == "PERMISSION_DENIED"
    with schema_context(federation.alpha.schema_name):
        assert Booking.objects.get(pk=a.pk).state == "booked"
    # when hub staff mark it attended
    payload = gql(ATTEND, {"id": central}, user=hubber).data["markBookingAttended"]
    assert payload == {"booking": {"state": "ATTENDED"}, "errors": []}


def test_the_booking_lists_take_the_same_queries_for_2_and_6_rows(federation, hub, hubber, people):
    day = build.open_day()
    variables = {"hub": to_global_id("Hub", hub.pk), "date": day.isoformat()}
    admin = federation.user("alpha-admin")

    def measure(n):
        with schema_context(federation.alpha.schema_name):
            already = Booking.objects.count()
        for i in range(already, n):
            who = people["anna"] if i % 2 else people["alf"]
            _book(federation, federation.alpha, "alpha-admin", who, hub, build.at(day, 9 + i // 2))
        with CaptureQueriesContext(connection) as mine:
            response = gql(MINE, agency=federation.alpha, user=admin)
        assert response.data["myHubBookings"]["totalCount"] == n
        with CaptureQueriesContext(connection) as central:
            response = gql(DAY, variables, user=hubber)
        assert response.data["hubBookings"]["totalCount"] == n
        return len(mine.captured_queries), len(central.captured_queries)

    assert measure(2) == measure(6)
