"""The slot grid of a hub: opening hours, holidays, the grid, the past, free places."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from services.calendars.models import Closure
from services.hubs import slots
from services.hubs.models import SlotLoad
from tests.hubs import build

pytestmark = pytest.mark.django_db


def _code(hub, starts_at, **kw):
    with pytest.raises(ValidationError) as exc:
        slots.check_slot(hub, starts_at, **kw)
    return exc.value.error_dict["starts_at"][0].code


def test_a_slot_on_the_grid_within_opening_hours_is_bookable(hub):
    # given a hub open 09-16 on weekdays with 30-minute slots
    day = build.open_day()
    # when the 10:30 slot and the last slot (15:30) are checked
    # then each ends one slot later
    assert slots.check_slot(hub, build.at(day, 10, 30)) == build.at(day, 11, 0)
    assert slots.check_slot(hub, build.at(day, 15, 30)) == build.at(day, 16, 0)


def test_slots_outside_hours_off_the_grid_or_in_the_past_are_refused(hub):
    day = build.open_day()
    # early, late, and a slot that would end after closing
    assert _code(hub, build.at(day, 8, 30)) == "outside_hours"
    assert _code(hub, build.at(day, 16, 0)) == "outside_hours"
    # not on the 30-minute grid from opening
    assert _code(hub, build.at(day, 10, 15)) == "off_grid"
    # a weekend day is closed
    saturday = day + dt.timedelta(days=(5 - day.weekday()) % 7)
    assert _code(hub, build.at(saturday, 10)) == "closed"
    # the past
    assert _code(hub, build.at(day, 10), now=build.at(day, 10, 1)) == "in_past"


def test_a_public_holiday_on_a_weekday_is_closed(hub, settings):
    # the next one can be half a year away (after midsummer), beyond the booking horizon
    settings.SAMNAV_BOOKING_HORIZON_DAYS = 400
    # given a Swedish public holiday on a weekday
    holiday = build.holiday_on_weekday()
    # then its 10:00 slot is refused as closed
    assert _code(hub, build.at(holiday, 10)) == "closed"
    assert slots.day_slots(hub, holiday) == []


def test_a_closure_of_the_calendar_closes_the_hub(hub, calendar):
    # given a closure from 12:00 on an open day
    day = build.open_day()
    Closure.objects.create(calendar=calendar, date=day, closes_at=dt.time(12, 0))
    # then the afternoon is closed and the morning open
    assert _code(hub, build.at(day, 13)) == "outside_hours"
    assert slots.check_slot(hub, build.at(day, 11, 30)) == build.at(day, 12)


def test_day_slots_show_the_load_over_every_agency(hub):
    # given a day and one slot with one place taken and one with both
    day = build.open_day()
    SlotLoad.objects.create(hub=hub, starts_at=build.at(day, 9), booked=1)
    SlotLoad.objects.create(hub=hub, starts_at=build.at(day, 9, 30), booked=2)
    # when the day's slots are listed
    found = slots.day_slots(hub, day)
    # then there are 14 slots 09:00-15:30 with their free places
    assert len(found) == 14
    assert found[0].starts_at == build.at(day, 9) and found[0].free == 1
    assert found[1].free == 0
    assert found[-1].starts_at == build.at(day, 15, 30) and found[-1].free == 2


def test_take_place_stops_at_capacity_and_give_back_frees_one(hub):
    start = build.at(build.open_day(), 10)
    # when three places are asked for in a slot of capacity 2
    assert [slots.take_place(hub, start) for _ in range(3)] == [True, True, False]
    assert SlotLoad.objects.get(hub=hub, starts_at=start).booked == 2
    # when one is given back
    slots.give_back(hub.pk, start)
    # then one is free again
    assert SlotLoad.objects.get(hub=hub, starts_at=start).booked == 1
    assert slots.take_place(hub, start) is True
