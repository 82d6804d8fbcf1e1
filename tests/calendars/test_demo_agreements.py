"""The demo's agreements count the hours they promise (issue 23): what agencies are shown,
"Alla dagar 06–22" or "Vardagar 07–18", is what the clocks count."""

from __future__ import annotations

import pytest

from demo.data.calendars import calendar_for_hours, load_calendars
from demo.data.catalogue import AGREEMENTS
from services.calendars.hours import business_minutes, spec_for
from tests.calendars import at

pytestmark = pytest.mark.django_db

SATURDAY, MONDAY = (2026, 11, 21), (2026, 11, 23)  # an ordinary weekend and weekday
CHRISTMAS_DAY = (2026, 12, 25)  # a Friday and a public holiday


def _day(calendar, day) -> int:
    """Minutes the calendar counts from 00:00 to 23:59 of `day`."""
    return business_minutes(spec_for(calendar), at(*day, 0, 0), at(*day, 23, 59))


@pytest.mark.parametrize(
    ("hours", "weekday", "saturday", "holiday"),
    [
        ("Vardagar 07–18", 11 * 60, 0, 0),
        ("Alla dagar 06–22", 16 * 60, 16 * 60, 16 * 60),
        ("Vardagar 08–17", 9 * 60, 0, 0),
        ("Vardagar 07–19", 12 * 60, 0, 0),
        ("Dygnet runt, alla dagar", 1439, 1439, 1439),
    ],
)
def test_each_agreements_clock_counts_its_promised_hours(hours, weekday, saturday, holiday):
    assert hours in {row[4] for row in AGREEMENTS}, "the demo's agreements changed"
    calendar = calendar_for_hours(hours, load_calendars())
    assert (_day(calendar, MONDAY), _day(calendar, SATURDAY), _day(calendar, CHRISTMAS_DAY)) == (
        weekday,
        saturday,
        holiday,
    )


def test_one_calendar_per_promise_and_unreadable_hours_count_office_hours():
    calendars = load_calendars()
    first = calendar_for_hours("Vardagar 07–18", calendars)
    assert calendar_for_hours("vardagar 07-18", calendars) == first  # made once
    assert first.name == "Vardagar 07–18"
    assert calendar_for_hours("Efter överenskommelse", calendars).name == "Standard kontorstid"
