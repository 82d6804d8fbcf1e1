"""Business-hours arithmetic: exact, in whole minutes, without the database.

`spec_for(calendar, agency)` reads a `BusinessCalendar` once into an immutable `CalendarSpec`
(services/calendars/spec.py, with the holiday and eve dates of holiday_dates.py); everything
here is pure and works on that spec. Callers import the spec and the dates from here too.

Conventions:
- Opening hours are wall-clock times in the calendar's zone. A real minute is *open* when its
  local wall-clock time lies in an open window of its local date. Across a DST change this is
  exact: on the spring-forward day the missing hour is never open, on the fall-back day a
  repeated hour inside the opening hours counts twice (it is lived twice).
- Moments are taken to the minute: seconds and microseconds are dropped (floored), so business
  minutes are integers and `business_minutes(s, add_business_minutes(spec, s, m)) == m`.
- `business_minutes(spec, start, end)` counts the open minutes in [start, end); 0 when `end` is
  not after `start`.
- `add_business_minutes(spec, start, m)` returns the moment the count from `start` reaches `m`:
  the end of the m-th open minute (so a target used up exactly at closing time is due at the
  closing time, not the next morning). With m == 0 it returns the first open moment at or
  after `start` (start itself when open).
- A day's windows: its weekday's opening hours; none on a public holiday of the calendar's
  country; on an eve, none ("closed"), cut at the half-day time ("half"), or unchanged; then the
  closures of that date (for every agency, and for the spec's agency) are taken out. The eve
  configuration is authoritative: the `holidays` package's midsummer, Christmas and New Year's
  eves (listed as holidays by some versions or categories) are not used as holidays.
- Assumes at most one UTC-offset change within any three days and none across local midnight
  (true of every zone in use; Europe/Stockholm changes at 02:00/03:00).
"""

from __future__ import annotations

import datetime as dt

from services.calendars.holiday_dates import easter_sunday, eve_dates, public_holidays
from services.calendars.spec import (
    MINUTES_PER_DAY,
    CalendarSpec,
    ClosureRule,
    Interval,
    Window,
    closure_holes,
    spec_for,
    to_minute,
)

# The spec and the dates, with the arithmetic: what callers import from here.
__all__ = [
    "MAX_SEARCH_DAYS",
    "MINUTES_PER_DAY",
    "BeyondHorizon",
    "CalendarSpec",
    "ClosureRule",
    "Interval",
    "Window",
    "add_business_minutes",
    "add_minutes",
    "business_minutes",
    "closure_holes",
    "easter_sunday",
    "eve_dates",
    "is_open",
    "minutes_between",
    "next_open_moment",
    "open_intervals",
    "public_holidays",
    "spec_for",
    "to_minute",
]

# add_business_minutes gives up after this many days without reaching the count.
MAX_SEARCH_DAYS = 366 * 20


class BeyondHorizon(ValueError):
    """The calendar is open too rarely to reach the count within MAX_SEARCH_DAYS."""


def open_intervals(spec: CalendarSpec, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The open periods of the local date `day`, as aware datetimes in the calendar's zone."""
    return [(spec.moment(a), spec.moment(b)) for a, b in spec.intervals(day)]


def is_open(spec: CalendarSpec, moment: dt.datetime) -> bool:
    """Whether the minute that contains `moment` is open."""
    minute = to_minute(moment)
    day = spec.local_date(minute)
    return any(a <= minute < b for a, b in spec.intervals(day))


def minutes_between(spec: CalendarSpec, start: int, end: int) -> int:
    """Open minutes in [start, end), both epoch minutes."""
    if end <= start:
        return 0
    total = 0
    day = spec.local_date(start) - dt.timedelta(days=1)
    last = spec.local_date(end) + dt.timedelta(days=1)
    one = dt.timedelta(days=1)
    while day <= last:
        for a, b in spec.intervals(day):
            lo, hi = max(a, start), min(b, end)
            if lo < hi:
                total += hi - lo
        day += one
    return total


def add_minutes(spec: CalendarSpec, start: int, minutes: int) -> int:
    """The epoch minute at which the open-minute count from `start` reaches `minutes`."""
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    if not spec.ever_open:
        raise ValueError("the calendar is never open")
    remaining = minutes
    day = spec.local_date(start) - dt.timedelta(days=1)
    one = dt.timedelta(days=1)
    for _ in range(MAX_SEARCH_DAYS):
        for a, b in spec.intervals(day):
            if b <= start:
                continue
            lo = max(a, start)
            if remaining <= b - lo:
                return lo + remaining
            remaining -= b - lo
        day += one
    raise BeyondHorizon("the calendar does not reach the count within the search horizon")


def business_minutes(spec: CalendarSpec, start: dt.datetime, end: dt.datetime) -> int:
    """Open minutes from `start` (inclusive) to `end` (exclusive); 0 if end <= start."""
    return minutes_between(spec, to_minute(start), to_minute(end))


def add_business_minutes(spec: CalendarSpec, start: dt.datetime, minutes: int) -> dt.datetime:
    """The moment the open-minute count from `start` reaches `minutes` (see the module doc);
    an aware datetime in the calendar's zone."""
    return spec.moment(add_minutes(spec, to_minute(start), minutes))


def next_open_moment(spec: CalendarSpec, moment: dt.datetime) -> dt.datetime:
    """`moment` (to the minute) when open, else the next opening."""
    return add_business_minutes(spec, moment, 0)
