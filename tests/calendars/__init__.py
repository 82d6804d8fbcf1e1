"""Shared helpers of the calendar tests: a brute-force oracle that decides minute by minute,
from a spec's raw configuration and independently of services.calendars.hours, whether a real
minute is open; and hypothesis strategies for random calendars and moments."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

import holidays
from dateutil.easter import easter
from hypothesis import strategies as st

from services.calendars.hours import CalendarSpec
from services.calendars.models import Eve, EveRule

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
DAY = 24 * 60

# Monday to Friday 08:00-17:00.
OFFICE_WEEK = ((8 * 60, 17 * 60),) * 5 + (None, None)


def at(*args) -> dt.datetime:
    """A wall-clock moment in Stockholm."""
    return dt.datetime(*args, tzinfo=STOCKHOLM)


def epoch_minute(moment: dt.datetime) -> int:
    return int((moment - EPOCH).total_seconds() // 60)


def moment_of(minute: int) -> dt.datetime:
    return (EPOCH + dt.timedelta(minutes=minute)).astimezone(STOCKHOLM)


# --- the oracle ------------------------------------------------------------------------------


def _eves_on(day: dt.date) -> set[str]:
    """The eves on `day`, each by its own rule (dateutil's Easter, not ours)."""
    e = easter(day.year)
    found = set()
    if (day.month, day.day) == (1, 5):
        found.add(Eve.TWELFTH_NIGHT)
    if day == e - dt.timedelta(days=3):
        found.add(Eve.MAUNDY_THURSDAY)
    if day == e - dt.timedelta(days=1):
        found.add(Eve.EASTER_EVE)
    if (day.month, day.day) == (4, 30):
        found.add(Eve.WALPURGIS_NIGHT)
    if day == e + dt.timedelta(days=38):
        found.add(Eve.ASCENSION_EVE)
    if day == e + dt.timedelta(days=48):
        found.add(Eve.WHITSUN_EVE)
    if (day.month, day.day) == (6, 5):
        found.add(Eve.NATIONAL_DAY_EVE)
    if day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4:
        found.add(Eve.MIDSUMMER_EVE)
    if day.weekday() == 4 and (
        (day.month == 10 and day.day >= 30) or (day.month == 11 and day.day <= 5)
    ):
        found.add(Eve.ALL_SAINTS_EVE)
    if (day.month, day.day) == (12, 24):
        found.add(Eve.CHRISTMAS_EVE)
    if (day.month, day.day) == (12, 31):
        found.add(Eve.NEW_YEARS_EVE)
    return {str(eve) for eve in found}


@functools.cache
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    # the package's default for Sweden: public holidays only (no Sundays, no eves)
    return frozenset(holidays.country_holidays(country, years=year)) if country else frozenset()


class Oracle:
    """Minute-by-minute truth for a spec, from its raw configuration."""

    def __init__(self, spec: CalendarSpec):
        self.spec = spec
        self.zone = zoneinfo.ZoneInfo(spec.time_zone)
        self._flags: dict[dt.date, bytearray] = {}
        self._offsets: dict[int, int] = {}
        self._by_number: dict[int, bytearray] = {}

    def flags(self, day: dt.date) -> bytearray:
        """1 for each open wall-clock minute of `day`."""
        if day in self._flags:
            return self._flags[day]
        spec = self.spec
        flags = bytearray(DAY)
        hours = spec.weekly[day.weekday()]
        if hours is not None and day not in _holidays(spec.holiday_country, day.year):
            rules = {dict(spec.eves).get(eve, EveRule.NORMAL) for eve in _eves_on(day)}
            opens, closes = hours
            if EveRule.HALF in rules:
                closes = min(closes, spec.half_day_closes_at)
            if EveRule.CLOSED not in rules:
                for minute in range(opens, closes):
                    flags[minute] = 1
        for date, closes_at, opens_at in spec.closures:
            if date != day:
                continue
            for minute in range(DAY):
                if closes_at is None and opens_at is None:
                    shut = True
                elif opens_at is None:
                    shut = minute >= closes_at
                elif closes_at is None:
                    shut = minute < opens_at
                elif closes_at < opens_at:
                    shut = closes_at <= minute < opens_at
                else:
                    shut = minute < opens_at or minute >= closes_at
                if shut:
                    flags[minute] = 0
        self._flags[day] = flags
        return flags

    def offset(self, minute: int) -> int:
        """UTC offset in minutes of the real minute `minute` (whole hours in Stockholm)."""
        hour = minute // 60
        if hour not in self._offsets:
            moment = EPOCH + dt.timedelta(hours=hour)
            offset = int(moment.astimezone(self.zone).utcoffset().total_seconds()) // 60
            assert offset % 60 == 0
            self._offsets[hour] = offset
        return self._offsets[hour]

    def is_open(self, minute: int) -> bool:
        hour = minute // 60
        offset = self._offsets.get(hour)
        if offset is None:
            offset = self.offset(minute)
        day, wall = divmod(minute + offset, DAY)
        flags = self._by_number.get(day)
        if flags is None:
            flags = self._by_number[day] = self.flags(dt.date(1970, 1, 1) + dt.timedelta(days=day))
        return flags[wall] == 1

    def count(self, start: int, end: int, running=None) -> int:
        """Open minutes in [start, end), one by one; `running(minute)` may exclude some."""
        is_open = self.is_open
        if running is None:
            return sum(1 for minute in range(start, end) if is_open(minute))
        return sum(1 for minute in range(start, end) if running(minute) and is_open(minute))


# --- strategies ------------------------------------------------------------------------------

# Local midnights near the interesting days: DST to summer time (29 March 2026; 28 March 2027,
# also Easter Sunday), Easter 2026, midsummer, DST to winter time and All Saints' (25 and 30-31
# October 2026), Christmas and New Year.
ANCHORS = [
    dt.date(2026, 3, 26),
    dt.date(2026, 3, 30),
    dt.date(2026, 6, 15),
    dt.date(2026, 10, 22),
    dt.date(2026, 12, 20),
    dt.date(2027, 3, 24),
]


@st.composite
def windows(draw):
    opens = draw(st.integers(0, DAY - 1))
    closes = draw(st.integers(opens + 1, DAY))
    return (opens, closes)


@st.composite
def specs(draw, anchor: dt.date, span_days: int = 100):
    """A random calendar: opening hours per weekday (some closed, at least one open), eves,
    half-day time, public holidays or none, and closures (whole and partial days) near
    `anchor`."""
    weekly = draw(st.lists(st.one_of(st.none(), windows()), min_size=7, max_size=7))
    if all(entry is None for entry in weekly):
        weekly[draw(st.integers(0, 6))] = draw(windows())
    eves = draw(st.dictionaries(st.sampled_from(Eve.values), st.sampled_from(EveRule.values)))
    times = st.one_of(st.none(), st.integers(0, DAY))
    closures = draw(
        st.lists(
            st.tuples(
                st.integers(-2, span_days).map(lambda d: anchor + dt.timedelta(days=d)),
                times,
                times,
            ).filter(lambda c: c[1] is None or c[1] != c[2]),
            max_size=6,
        )
    )
    return CalendarSpec(
        weekly=tuple(weekly),
        holiday_country=draw(st.sampled_from(["SE", "SE", ""])),
        eves=tuple(sorted(eves.items())),
        half_day_closes_at=draw(st.integers(0, DAY)),
        closures=tuple(closures),
    )


@st.composite
def calendars_and_start(draw, span_days: int = 100):
    """(anchor, spec, start): start within ten days after the anchor, with random seconds."""
    anchor = draw(st.sampled_from(ANCHORS))
    spec = draw(specs(anchor, span_days))
    base = dt.datetime.combine(anchor, dt.time(0, 0), tzinfo=STOCKHOLM)
    start = base + dt.timedelta(
        minutes=draw(st.integers(0, 10 * DAY)), seconds=draw(st.integers(0, 59))
    )
    return anchor, spec, start
