"""Business hours by example: weekends, Swedish holidays and eves, half days, closures for all
agencies or one, DST, the models' rules, the demo calendars and long spans."""

from __future__ import annotations

import datetime as dt
import time

import holidays
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from demo.data.calendars import OFFICE, ROUND_THE_CLOCK, load_calendars
from services.calendars.hours import (
    CalendarSpec,
    add_business_minutes,
    business_minutes,
    eve_dates,
    is_open,
    next_open_moment,
    open_intervals,
    public_holidays,
    spec_for,
)
from services.calendars.models import BusinessCalendar, Closure, Eve, OpeningHours
from tests.calendars import DAY, OFFICE_WEEK, at

OFFICE_SPEC = CalendarSpec(
    weekly=OFFICE_WEEK,
    holiday_country="SE",
    eves=(("christmas_eve", "closed"), ("midsummer_eve", "closed"), ("new_years_eve", "closed")),
)


def _calendar(name="Kontor", **fields) -> BusinessCalendar:
    calendar = BusinessCalendar.objects.create(name=name, **fields)
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=d, opens_at=dt.time(8), closes_at=dt.time(17))
        for d in range(5)
    )
    return calendar


# --- the arithmetic --------------------------------------------------------------------------


def test_a_ticket_opened_friday_afternoon_with_an_hour_is_due_monday_morning():
    # given Monday to Friday 08-17 and a ticket opened Friday 16:30 (an ordinary week)
    opened = at(2026, 9, 11, 16, 30)
    assert opened.weekday() == 4
    # when 60 business minutes are added
    due = add_business_minutes(OFFICE_SPEC, opened, 60)
    # then it is due Monday 08:30: half an hour on Friday, half an hour on Monday
    assert due == at(2026, 9, 14, 8, 30)
    assert business_minutes(OFFICE_SPEC, opened, due) == 60


def test_a_target_used_up_at_closing_time_is_due_at_closing_time():
    # given a start at 16:00 and one hour
    due = add_business_minutes(OFFICE_SPEC, at(2026, 9, 10, 16, 0), 60)
    # then it is due at 17:00 the same day, not the next morning
    assert due == at(2026, 9, 10, 17, 0)


def test_zero_minutes_moves_a_closed_start_to_the_next_opening():
    # given a start on Saturday, and one inside the hours
    # then adding nothing moves the first to Monday 08:00 and keeps the second (to the minute)
    assert add_business_minutes(OFFICE_SPEC, at(2026, 9, 12, 11, 0), 0) == at(2026, 9, 14, 8)
    assert next_open_moment(OFFICE_SPEC, at(2026, 9, 14, 9, 15, 42)) == at(2026, 9, 14, 9, 15)
    assert business_minutes(OFFICE_SPEC, at(2026, 9, 12, 11), at(2026, 9, 14, 8)) == 0


def test_seconds_are_dropped():
    # given moments with seconds inside the same minutes
    # then whole minutes are counted between the minutes that hold them
    start, end = at(2026, 9, 14, 9, 0, 59), at(2026, 9, 14, 9, 10, 1)
    assert business_minutes(OFFICE_SPEC, start, end) == 10
    assert add_business_minutes(OFFICE_SPEC, start, 10) == at(2026, 9, 14, 9, 10)


def test_midsummer_eve_closed_and_midsummer_day_a_holiday():
    # given Thursday 18 June 2026 16:00, before midsummer eve (Friday 19 June, closed)
    start = at(2026, 6, 18, 16, 0)
    # when two hours are added
    # then one hour is Thursday's and the other Monday's
    assert add_business_minutes(OFFICE_SPEC, start, 120) == at(2026, 6, 22, 9, 0)
    assert open_intervals(OFFICE_SPEC, dt.date(2026, 6, 19)) == []
    # and with midsummer eve a normal day, Friday counts
    normal = CalendarSpec(weekly=OFFICE_WEEK, holiday_country="SE")
    assert add_business_minutes(normal, start, 120) == at(2026, 6, 19, 9, 0)


def test_christmas_eve_as_a_half_day():
    # given Christmas eve 2025 (a Wednesday) configured as a half day closing at 13:00
    spec = CalendarSpec(
        weekly=OFFICE_WEEK,
        holiday_country="SE",
        eves=(("christmas_eve", "half"),),
        half_day_closes_at=13 * 60,
    )
    # then it is open 08:00-13:00
    assert open_intervals(spec, dt.date(2025, 12, 24)) == [
        (at(2025, 12, 24, 8), at(2025, 12, 24, 13))
    ]
    # and from Tuesday 23 December to Monday 29 December count Tuesday's nine hours and the
    # five of the eve (Christmas Day and Boxing Day are holidays, then a weekend)
    assert business_minutes(spec, at(2025, 12, 23, 8), at(2025, 12, 29, 8)) == 9 * 60 + 5 * 60
    # and a ticket opened on the eve at 12:30 with an hour is due Monday 08:30
    assert add_business_minutes(spec, at(2025, 12, 24, 12, 30), 60) == at(2025, 12, 29, 8, 30)


def test_public_holidays_are_closed_on_weekdays():
    # given Easter 2026: Good Friday 3 April and Easter Monday 6 April
    # then Thursday 17:00 to Tuesday 08:00 has no business minutes
    assert business_minutes(OFFICE_SPEC, at(2026, 4, 2, 17), at(2026, 4, 7, 8)) == 0
    # and a calendar without a holiday country counts them
    plain = CalendarSpec(weekly=OFFICE_WEEK)
    assert business_minutes(plain, at(2026, 4, 2, 17), at(2026, 4, 7, 8)) == 2 * 9 * 60


def test_the_swedish_public_holidays_are_the_days_off_without_eves_or_sundays():
    # given the `holidays` package's Swedish calendar for 2026
    # then our holidays are exactly the public holidays (not the eves, not every Sunday)
    assert sorted(public_holidays("SE", 2026)) == [
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 6),
        dt.date(2026, 4, 3),
        dt.date(2026, 4, 5),
        dt.date(2026, 4, 6),
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 14),
        dt.date(2026, 5, 24),
        dt.date(2026, 6, 6),
        dt.date(2026, 6, 20),
        dt.date(2026, 10, 31),
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 26),
    ]
    assert public_holidays("", 2026) == frozenset()


def test_our_eve_dates_are_those_the_holidays_package_names():
    # given the eves the `holidays` package lists in its other Swedish categories
    names = {
        "Twelfth Night (from 2pm)": Eve.TWELFTH_NIGHT,
        "Maundy Thursday (from 2pm)": Eve.MAUNDY_THURSDAY,
        "Holy Saturday": Eve.EASTER_EVE,
        "Walpurgis Night (from 2pm)": Eve.WALPURGIS_NIGHT,
        "Day before Ascension Day (from 2pm)": Eve.ASCENSION_EVE,
        "Pentecost Eve": Eve.WHITSUN_EVE,
        "Midsummer Eve": Eve.MIDSUMMER_EVE,
        "All Saints' Eve (from 2pm)": Eve.ALL_SAINTS_EVE,
        "Christmas Eve": Eve.CHRISTMAS_EVE,
        "New Year's Eve": Eve.NEW_YEARS_EVE,
    }
    for year in range(2020, 2041):
        theirs = {}
        for category in ("bank", "de_facto", "optional"):
            listed = holidays.country_holidays(
                "SE", years=year, categories=(category,), language="en_US"
            )
            for day, name in listed.items():
                for part in name.split("; "):
                    if part in names:
                        theirs.setdefault(str(names[part]), set()).add(day)
        ours = {}
        for day, eves in eve_dates(year).items():
            for eve in eves:
                ours.setdefault(eve, set()).add(day)
        # then every eve falls on the same date (the national day eve is ours alone)
        assert ours.pop(str(Eve.NATIONAL_DAY_EVE)) == {dt.date(year, 6, 5)}
        assert ours == theirs, year


def test_dst_changes_count_real_minutes():
    # given a calendar open round the clock and one open 01:00-04:00 every day
    always = CalendarSpec(weekly=((0, DAY),) * 7)
    night = CalendarSpec(weekly=((60, 240),) * 7)
    # then 29 March 2026 (02:00 becomes 03:00) has 23 hours, and its night window two
    assert business_minutes(always, at(2026, 3, 29), at(2026, 3, 30)) == 23 * 60
    assert business_minutes(night, at(2026, 3, 29), at(2026, 3, 30)) == 2 * 60
    # and 25 October 2026 (03:00 becomes 02:00) has 25 hours, and its night window four
    assert business_minutes(always, at(2026, 10, 25), at(2026, 10, 26)) == 25 * 60
    assert business_minutes(night, at(2026, 10, 25), at(2026, 10, 26)) == 4 * 60
    # and hours are wall-clock: the office opens at 08:00 local on both sides of the change
    assert add_business_minutes(OFFICE_SPEC, at(2026, 3, 27, 16, 30), 60) == at(2026, 3, 30, 8, 30)
    assert add_business_minutes(OFFICE_SPEC, at(2026, 3, 27, 16, 30), 60).utcoffset() == (
        dt.timedelta(hours=2)
    )


def test_partial_closures():
    # given closures that close early, open late, close for a meeting, or keep a few hours
    day = dt.date(2026, 9, 14)
    cases = [
        ((15 * 60, None), [(8, 15)]),
        ((None, 10 * 60), [(10, 17)]),
        ((10 * 60, 12 * 60), [(8, 10), (12, 17)]),
        ((14 * 60, 9 * 60), [(9, 14)]),
        ((None, None), []),
    ]
    for (closes_at, opens_at), hours in cases:
        spec = CalendarSpec(weekly=OFFICE_WEEK, closures=((day, closes_at, opens_at),))
        # then the day's open intervals are what is left of 08-17
        assert open_intervals(spec, day) == [
            (at(2026, 9, 14, a), at(2026, 9, 14, b)) for a, b in hours
        ]


def test_open_and_closed_moments():
    assert is_open(OFFICE_SPEC, at(2026, 9, 14, 8, 0))
    assert is_open(OFFICE_SPEC, at(2026, 9, 14, 16, 59, 59))
    assert not is_open(OFFICE_SPEC, at(2026, 9, 14, 17, 0))
    assert not is_open(OFFICE_SPEC, at(2026, 12, 24, 10, 0))


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="aware"):
        business_minutes(OFFICE_SPEC, dt.datetime(2026, 9, 14, 8), at(2026, 9, 14, 9))
    with pytest.raises(ValueError, match="negative"):
        add_business_minutes(OFFICE_SPEC, at(2026, 9, 14, 8), -1)
    with pytest.raises(ValueError, match="never open"):
        add_business_minutes(CalendarSpec(weekly=(None,) * 7), at(2026, 9, 14, 8), 1)
    with pytest.raises(ValueError, match="opening hours"):
        CalendarSpec(weekly=((600, 500),) + (None,) * 6)
    with pytest.raises(ValueError, match="eve"):
        CalendarSpec(weekly=OFFICE_WEEK, eves=(("midsummer_eve", "sometimes"),))
    # and a period that ends before it starts has no minutes
    assert business_minutes(OFFICE_SPEC, at(2026, 9, 14, 12), at(2026, 9, 14, 9)) == 0


def test_long_spans_are_measured_by_whole_days():
    # given a fresh calendar and ten years
    spec = CalendarSpec(weekly=OFFICE_WEEK, holiday_country="SE")
    began = time.perf_counter()
    # when measured, and the same count added back
    minutes = business_minutes(spec, at(2026, 1, 1), at(2036, 1, 1))
    due = add_business_minutes(spec, at(2026, 1, 1), minutes)
    elapsed = time.perf_counter() - began
    # then the results are exact and quick (a minute loop would take far longer)
    workdays = sum(
        1
        for n in range((dt.date(2036, 1, 1) - dt.date(2026, 1, 1)).days)
        if (d := dt.date(2026, 1, 1) + dt.timedelta(days=n)).weekday() < 5
        and d not in public_holidays("SE", d.year)
    )
    assert minutes == workdays * 9 * 60
    assert due == at(2035, 12, 31, 17, 0)
    assert elapsed < 2.0


# --- the models ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_calendar_becomes_a_spec_with_its_hours_eves_and_closures(federation):
    # given a calendar with office hours, eves and closures for all and for alpha
    calendar = _calendar(
        close_on_eves={"midsummer_eve": "closed", "all_saints_eve": "half"},
        half_day_closes_at=dt.time(12, 30),
    )
    Closure.objects.create(calendar=calendar, date=dt.date(2026, 9, 14), reason="Flytt")
    Closure.objects.create(
        calendar=calendar,
        agency=federation.alpha,
        date=dt.date(2026, 9, 15),
        closes_at=dt.time(12),
        reason="Personaldag",
    )
    # when its spec is built for alpha
    spec = spec_for(calendar, federation.alpha)
    # then it holds everything the arithmetic needs
    assert spec.weekly == OFFICE_WEEK
    assert (spec.time_zone, spec.holiday_country, spec.half_day_closes_at) == (
        "Europe/Stockholm",
        "SE",
        12 * 60 + 30,
    )
    assert spec.eves == (("all_saints_eve", "half"), ("midsummer_eve", "closed"))
    assert spec.closures == ((dt.date(2026, 9, 14), None, None), (dt.date(2026, 9, 15), 720, None))
    assert (spec.name, spec.calendar_id) == ("Kontor", calendar.pk)
    # and All Saints' eve 2026 (Friday 30 October) closes at 12:30
    assert open_intervals(spec, dt.date(2026, 10, 30)) == [
        (at(2026, 10, 30, 8), at(2026, 10, 30, 12, 30))
    ]


@pytest.mark.django_db
def test_an_agency_closure_applies_to_that_agency_only(federation):
    # given a calendar closed on Monday 14 September 2026 for alpha only, and on Tuesday for all
    calendar = _calendar()
    Closure.objects.create(calendar=calendar, agency=federation.alpha, date=dt.date(2026, 9, 14))
    Closure.objects.create(calendar=calendar, date=dt.date(2026, 9, 15))
    week = (at(2026, 9, 14), at(2026, 9, 19))
    # when each agency's spec measures that week
    alpha = business_minutes(spec_for(calendar, federation.alpha), *week)
    beta = business_minutes(spec_for(calendar, federation.beta.pk), *week)
    everyone = business_minutes(spec_for(calendar), *week)
    # then alpha loses Monday and Tuesday, beta and the calendar as such only Tuesday
    assert alpha == 3 * 9 * 60
    assert beta == everyone == 4 * 9 * 60
    # and a ticket of alpha's opened Friday 16:30 with an hour is due Wednesday 08:30
    due = add_business_minutes(spec_for(calendar, federation.alpha), at(2026, 9, 11, 16, 30), 60)
    assert due == at(2026, 9, 16, 8, 30)


@pytest.mark.django_db
def test_the_database_keeps_opening_hours_sane(federation):
    calendar = _calendar()
    # a second row for Monday is refused
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(
            calendar=calendar, weekday=0, opens_at=dt.time(9), closes_at=dt.time(10)
        )
    # closing before opening is refused (00:00 is midnight at the end of the day, allowed)
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(
            calendar=calendar, weekday=5, opens_at=dt.time(12), closes_at=dt.time(10)
        )
    OpeningHours.objects.create(
        calendar=calendar, weekday=6, opens_at=dt.time(20), closes_at=dt.time(0)
    )
    assert spec_for(calendar).weekly[6] == (20 * 60, DAY)
    # a closure that closes and reopens at the same time is refused
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(
            calendar=calendar, date=dt.date(2026, 1, 2), closes_at=dt.time(9), opens_at=dt.time(9)
        )


@pytest.mark.django_db
def test_a_calendar_with_bad_eves_zone_or_country_does_not_validate(federation):
    calendar = BusinessCalendar(
        name="Fel", time_zone="Europe/Atlantis", holiday_country="XX", close_on_eves={"x": "y"}
    )
    with pytest.raises(ValidationError) as caught:
        calendar.full_clean()
    assert set(caught.value.message_dict) == {"time_zone", "holiday_country", "close_on_eves"}
    calendar = BusinessCalendar(
        name="Rätt", holiday_country="se", close_on_eves={"christmas_eve": "half"}
    )
    calendar.full_clean()
    assert calendar.holiday_country == "SE"


@pytest.mark.django_db
def test_the_demo_calendars_load_once(federation):
    # given the demo calendars loaded twice
    first = load_calendars()
    counts = (BusinessCalendar.objects.count(), OpeningHours.objects.count())
    second = load_calendars()
    # then the second load creates nothing
    assert (BusinessCalendar.objects.count(), OpeningHours.objects.count()) == counts
    assert {k: v.pk for k, v in first.items()} == {k: v.pk for k, v in second.items()}
    office = spec_for(first[OFFICE])
    always = spec_for(first[ROUND_THE_CLOCK])
    # and office hours are Monday to Friday 08-17 with the eves closed or half
    assert office.weekly == OFFICE_WEEK
    assert office.eve_rules == {
        "midsummer_eve": "closed",
        "christmas_eve": "closed",
        "new_years_eve": "closed",
        "twelfth_night_eve": "half",
        "all_saints_eve": "half",
    }
    assert open_intervals(office, dt.date(2026, 1, 5)) == [(at(2026, 1, 5, 8), at(2026, 1, 5, 13))]
    assert open_intervals(office, dt.date(2026, 12, 31)) == []
    assert open_intervals(office, dt.date(2026, 4, 2)) == [(at(2026, 4, 2, 8), at(2026, 4, 2, 17))]
    # and round the clock counts every minute, holidays included
    assert business_minutes(always, at(2026, 12, 24), at(2026, 12, 27)) == 3 * DAY
