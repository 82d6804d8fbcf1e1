"""Dates within sense (issue 18): every date a caller gives lies within fifty years of today
(services/validation.py, SENSIBLE_YEARS), and a hub slot within the booking horizon. Year 1 and
9999 are refused with the field named and a code; they never reach date arithmetic or the
database ("date value out of range"), and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from config import testclock
from services.catalogue.models import SupplierContract
from services.costs.actions import periods
from services.costs.errors import CostErrorCode
from services.costs.models import Period
from services.hubs import slots
from services.validation import parse_month, sensible_range
from tests.graphql import gql, host_of
from tests.hubs import build
from tests.hubs.fixtures import calendar, hub

__all__ = ["calendar", "hub"]

pytestmark = pytest.mark.django_db

PERIOD = "mutation($m: Date!) { createCostPeriod(month: $m) { errors { field code } } }"


@pytest.mark.parametrize(
    "month",
    [
        lambda low, high: dt.date(1, 1, 1),
        lambda low, high: dt.date(9999, 12, 1),
        lambda low, high: low - dt.timedelta(days=1),  # the day before the range
        lambda low, high: high + dt.timedelta(days=1),  # the day after it
    ],
    ids=["year-1", "year-9999", "just-before", "just-after"],
)
def test_an_absurd_period_is_refused_by_the_api_and_nothing_written(federation, month):
    low, high = sensible_range()
    day = month(low, high)
    response = gql(PERIOD, {"m": day.isoformat()}, user=federation.user("fin"))
    [error] = response.errors
    assert error["extensions"] == {"code": "DATE_OUT_OF_RANGE", "field": "month"}
    assert low.isoformat() in error["message"] and high.isoformat() in error["message"]
    assert not Period.objects.filter(month=day.replace(day=1)).exists()


def test_the_first_and_last_days_of_the_range_are_taken(federation):
    low, high = sensible_range()
    for day in (low, high):
        response = gql(PERIOD, {"m": day.isoformat()}, user=federation.user("fin"))
        assert response.data["createCostPeriod"]["errors"] == [], response.body


def test_a_date_inside_an_input_object_is_named_by_its_path(federation):
    query = """mutation($s: Date!) { createSupplierContract(input: {supplier: "1",
      reference: "R-1", valueOre: 100, startsOn: $s, endsOn: "2027-01-01"}) { contract { id } } }"""
    response = gql(query, {"s": "0001-01-01"}, user=federation.user("cat"))
    [error] = response.errors
    assert error["extensions"] == {"code": "DATE_OUT_OF_RANGE", "field": "input.startsOn"}
    assert not SupplierContract.objects.filter(reference="R-1").exists()


def test_a_query_for_year_9999_is_a_field_error_not_a_range_error(federation):
    query = '{ hubBookings(hub: "SHViOjE=", date: "9999-12-31") { edges { node { id } } } }'
    response = gql(query, user=federation.user("root"))
    [error] = response.errors
    assert error["extensions"] == {"code": "DATE_OUT_OF_RANGE", "field": "date"}


def test_the_domain_refuses_the_same_dates_when_called_without_the_api(federation):
    with pytest.raises(ValidationError) as refused:
        periods.create_period(federation.user("fin"), dt.date(1, 1, 1))
    assert refused.value.error_dict["month"][0].code == "out_of_range"
    with pytest.raises(ValidationError) as refused:
        parse_month("9999-12", codes=CostErrorCode)
    assert refused.value.error_dict["month"][0].code == "out_of_range"


def test_the_range_moves_with_the_clock():
    run_starts_at = testclock._instant  # rewind(instant) makes it the run's: put it back after
    try:
        testclock.rewind("2030-06-01T12:00+02:00")
        assert sensible_range() == (dt.date(1980, 1, 1), dt.date(2080, 12, 31))
    finally:
        testclock.rewind(run_starts_at)


def test_a_month_of_year_9999_in_a_report_link_is_a_400_not_a_500(federation):
    client = Client(HTTP_HOST=host_of(None))
    client.force_login(federation.user("root"))
    response = client.get("/reports/compliance.csv", {"month": "9999-12"})
    assert response.status_code == 400


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30"])
def test_a_hub_page_for_an_absurd_day_shows_today(federation, hub, day):
    central = Client(HTTP_HOST=host_of(None))
    central.force_login(federation.user("root"))
    response = central.get("/hubs/bookings/", {"hub": hub.pk, "day": day})
    assert response.status_code == 200
    assert response.context["day"] == timezone.localdate()
    agency = Client(HTTP_HOST=host_of(federation.alpha))
    agency.force_login(federation.user("alpha-staff"))
    response = agency.get("/bookings/slots/", {"hub": hub.pk, "day": day})
    assert response.status_code == 200


@override_settings(SAMNAV_BOOKING_HORIZON_DAYS=30)
def test_a_slot_past_the_booking_horizon_is_refused_and_not_offered(hub):
    near, far = build.open_day(after_days=20), build.open_day(after_days=40)
    assert slots.day_slots(hub, near) and slots.day_slots(hub, far) == []
    slots.check_slot(hub, build.at(near, 10))
    with pytest.raises(ValidationError) as refused:
        slots.check_slot(hub, build.at(far, 10))
    assert refused.value.error_dict["starts_at"][0].code == "beyond_horizon"
