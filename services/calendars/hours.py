"""Business-hours arithmetic: exact, in whole minutes, without the database.

`spec_for(calendar, agency)` reads a `BusinessCalendar` once into an immutable `CalendarSpec`;
everything else here is pure and works on that spec.

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
import functools
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import holidays

from services.calendars.models import Eve, EveRule

MINUTES_PER_DAY = 24 * 60
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_DATE = dt.date(1970, 1, 1)
_MINUTE = dt.timedelta(minutes=1)
# add_business_minutes gives up after this many days without reaching the count.
MAX_SEARCH_DAYS = 366 * 20


class BeyondHorizon(ValueError):
    """The calendar is open too rarely to reach the count within MAX_SEARCH_DAYS."""


Window = tuple[int, int]  # [start, end) in minutes from local midnight, 0 <= start < end <= 1440
Interval = tuple[int, int]  # [start, end) in minutes since the Unix epoch (UTC)
ClosureRule = tuple[dt.date, int | None, int | None]  # date, closes_at, opens_at (minutes)


# --- dates of holidays and eves --------------------------------------------------------------


def easter_sunday(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    n = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * n) // 451
    month, day = divmod(h + n - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _weekday_between(year: int, month: int, first_day: int, weekday: int) -> dt.date:
    """The first date with `weekday` on or after (year, month, first_day)."""
    start = dt.date(year, month, first_day)
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


@functools.cache
def eve_dates(year: int) -> Mapping[dt.date, tuple[str, ...]]:
    """The Swedish eves of `year`: date -> the `Eve` values falling on it (two can coincide,
    e.g. Walpurgis Night and the day before Ascension Day)."""
    easter = easter_sunday(year)
    days = {
        Eve.TWELFTH_NIGHT: dt.date(year, 1, 5),
        Eve.MAUNDY_THURSDAY: easter - dt.timedelta(days=3),
        Eve.EASTER_EVE: easter - dt.timedelta(days=1),
        Eve.WALPURGIS_NIGHT: dt.date(year, 4, 30),
        Eve.ASCENSION_EVE: easter + dt.timedelta(days=38),
        Eve.WHITSUN_EVE: easter + dt.timedelta(days=48),
        Eve.NATIONAL_DAY_EVE: dt.date(year, 6, 5),
        # Midsummer Day is the Saturday 20-26 June; All Saints' Day the Saturday 31 Oct-6 Nov.
        Eve.MIDSUMMER_EVE: _weekday_between(year, 6, 19, 4),
        Eve.ALL_SAINTS_EVE: _weekday_between(year, 10, 30, 4),
        Eve.CHRISTMAS_EVE: dt.date(year, 12, 24),
        Eve.NEW_YEARS_EVE: dt.date(year, 12, 31),
    }
    found: dict[dt.date, tuple[str, ...]] = {}
    for eve, day in days.items():
        found[day] = (*found.get(day, ()), str(eve))
    return MappingProxyType(found)  # cached: read-only


# Eves that some versions or categories of the `holidays` package list as holidays.
_EVES_NOT_HOLIDAYS = (Eve.MIDSUMMER_EVE, Eve.CHRISTMAS_EVE, Eve.NEW_YEARS_EVE)


@functools.cache
def public_holidays(country: str, year: int) -> frozenset[dt.date]:
    """The public holidays of `country` in `year` from the `holidays` package: the "public"
    category, without Sundays as such and without the eves (configured per calendar)."""
    if not country:
        return frozenset()
    try:
        found = holidays.country_holidays(
            country, years=year, categories=("public",), include_sundays=False
        )
    except TypeError:  # a country (or version) without the include_sundays option
        found = holidays.country_holidays(country, years=year, categories=("public",))
    dates = set(found)
    if country.upper() == "SE":
        eves = {
            day for day, names in eve_dates(year).items() if set(names) & set(_EVES_NOT_HOLIDAYS)
        }
        dates -= eves
    return frozenset(d for d in dates if d.year == year)


# --- the spec --------------------------------------------------------------------------------


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _subtract(windows: list[Window], hole: Window) -> list[Window]:
    out = []
    for a, b in windows:
        if hole[1] <= a or hole[0] >= b:
            out.append((a, b))
            continue
        if a < hole[0]:
            out.append((a, hole[0]))
        if hole[1] < b:
            out.append((hole[1], b))
    return out


def closure_holes(closes_at: int | None, opens_at: int | None) -> list[Window]:
    """The closed windows of one closure (see `models.Closure`)."""
    if closes_at is None and opens_at is None:
        return [(0, MINUTES_PER_DAY)]
    if opens_at is None:
        return [(closes_at, MINUTES_PER_DAY)]
    if closes_at is None:
        return [(0, opens_at)]
    if closes_at < opens_at:
        return [(closes_at, opens_at)]
    return [(0, opens_at), (closes_at, MINUTES_PER_DAY)]


@dataclass(frozen=True)
class CalendarSpec:
    """An immutable business calendar. Times are minutes from local midnight.

    weekly: seven entries, Monday first, each None (closed) or (opens, closes) with
        0 <= opens < closes <= 1440.
    holiday_country: ISO code whose public holidays are closed; "" for none.
    eves: (Eve value, EveRule value) pairs; an eve left out is normal.
    half_day_closes_at: when a "half" eve closes.
    closures: (date, closes_at, opens_at) for the calendar's closures that apply (both times
        None: closed all day; see `models.Closure`).
    """

    weekly: tuple[Window | None, ...]
    time_zone: str = "Europe/Stockholm"
    holiday_country: str = ""
    eves: tuple[tuple[str, str], ...] = ()
    half_day_closes_at: int = 13 * 60
    closures: tuple[ClosureRule, ...] = ()
    name: str = ""
    calendar_id: int | None = None
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly needs seven entries, Monday first")
        for entry in self.weekly:
            if entry is not None and not 0 <= entry[0] < entry[1] <= MINUTES_PER_DAY:
                raise ValueError(f"bad opening hours: {entry}")
        for eve, rule in self.eves:
            if eve not in Eve.values or rule not in EveRule.values:
                raise ValueError(f"bad eve rule: {eve}={rule}")
        if not 0 <= self.half_day_closes_at <= MINUTES_PER_DAY:
            raise ValueError("bad half-day closing time")
        for _day, closes_at, opens_at in self.closures:
            for value in (closes_at, opens_at):
                if value is not None and not 0 <= value <= MINUTES_PER_DAY:
                    raise ValueError(f"bad closure time: {value}")
            if closes_at is not None and closes_at == opens_at:
                raise ValueError("a closure's closing and opening times must differ")
        object.__setattr__(self, "time_zone", str(self.time_zone))
        self.zone  # noqa: B018 -- fails early on an unknown zone

    @functools.cached_property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @functools.cached_property
    def eve_rules(self) -> dict[str, str]:
        return dict(self.eves)

    @functools.cached_property
    def closures_by_date(self) -> dict[dt.date, list[Window]]:
        holes: dict[dt.date, list[Window]] = {}
        for day, closes_at, opens_at in self.closures:
            holes.setdefault(day, []).extend(closure_holes(closes_at, opens_at))
        return holes

    @property
    def ever_open(self) -> bool:
        return any(entry is not None for entry in self.weekly)

    def eve_rule(self, day: dt.date) -> str:
        """The strictest rule of the eves on `day` (closed, then half, then normal)."""
        rules = {
            self.eve_rules.get(eve, EveRule.NORMAL) for eve in eve_dates(day.year).get(day, ())
        }
        for rule in (EveRule.CLOSED, EveRule.HALF):
            if rule in rules:
                return str(rule)
        return str(EveRule.NORMAL)

    def windows(self, day: dt.date) -> tuple[Window, ...]:
        """The open wall-clock windows of `day`, sorted and disjoint."""
        key = ("w", day)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        entry = self.weekly[day.weekday()]
        windows: list[Window] = [entry] if entry is not None else []
        if windows and day in public_holidays(self.holiday_country, day.year):
            windows = []
        if windows:
            rule = self.eve_rule(day)
            if rule == EveRule.CLOSED:
                windows = []
            elif rule == EveRule.HALF:
                windows = [(a, min(b, self.half_day_closes_at)) for a, b in windows]
                windows = [(a, b) for a, b in windows if a < b]
        for hole in self.closures_by_date.get(day, ()):
            windows = _subtract(windows, hole)
        result = tuple(windows)
        self._cache[key] = result
        return result

    def _offset(self, minute: int) -> int:
        """The zone's UTC offset in whole minutes at the real (epoch) minute `minute`."""
        return self.moment(minute).utcoffset() // _MINUTE

    def intervals(self, day: dt.date) -> tuple[Interval, ...]:
        """The open real intervals (epoch minutes) of the local date `day`, sorted."""
        key = ("i", day)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        windows = self.windows(day)
        result: tuple[Interval, ...] = ()
        if windows:
            base = (day - _EPOCH_DATE).days * MINUTES_PER_DAY  # local midnight, as wall minutes
            low, high = base - MINUTES_PER_DAY, base + 2 * MINUTES_PER_DAY
            before, after = self._offset(low), self._offset(high)
            if before == after:
                segments = [(low, high, before)]
            else:
                # the single change in (low, high]: the first minute with the later offset
                lo, hi = low, high
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    if self._offset(mid) == after:
                        hi = mid
                    else:
                        lo = mid
                segments = [(low, hi, before), (hi, high, after)]
            found = []
            for a, b in windows:
                for seg_start, seg_end, offset in segments:
                    start = max(base + a - offset, seg_start)
                    end = min(base + b - offset, seg_end)
                    if start < end:
                        found.append((start, end))
            found.sort()
            merged: list[Interval] = []
            for start, end in found:
                if merged and start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
                else:
                    merged.append((start, end))
            result = tuple(merged)
        self._cache[key] = result
        return result

    def local_date(self, minute: int) -> dt.date:
        return (_EPOCH + dt.timedelta(minutes=minute)).astimezone(self.zone).date()

    def moment(self, minute: int) -> dt.datetime:
        """The aware datetime (in the calendar's zone) of an epoch minute."""
        return (_EPOCH + dt.timedelta(minutes=minute)).astimezone(self.zone)


def to_minute(moment: dt.datetime) -> int:
    """An aware datetime as whole minutes since the epoch (seconds dropped)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("business-hours arithmetic needs aware datetimes")
    return (moment - _EPOCH) // _MINUTE


def spec_for(calendar, agency=None) -> CalendarSpec:
    """The spec of a `BusinessCalendar`: its opening hours, eves, and the closures for every
    agency plus those of `agency` (an Agency or its id; None: only the closures for all)."""
    from django.db.models import Q

    weekly: list[Window | None] = [None] * 7
    for row in calendar.opening_hours.all():
        closes = _minutes(row.closes_at) or MINUTES_PER_DAY
        weekly[row.weekday] = (_minutes(row.opens_at), closes)
    agency_id = getattr(agency, "pk", agency)
    which = Q(agency__isnull=True)
    if agency_id is not None:
        which |= Q(agency_id=agency_id)
    closures = tuple(
        (
            row.date,
            None if row.closes_at is None else _minutes(row.closes_at),
            None if row.opens_at is None else _minutes(row.opens_at),
        )
        for row in calendar.closures.filter(which).order_by("date", "pk")
    )
    return CalendarSpec(
        weekly=tuple(weekly),
        time_zone=calendar.time_zone,
        holiday_country=(calendar.holiday_country or "").upper(),
        eves=tuple(sorted((str(k), str(v)) for k, v in (calendar.close_on_eves or {}).items())),
        half_day_closes_at=_minutes(calendar.half_day_closes_at),
        closures=closures,
        name=calendar.name,
        calendar_id=calendar.pk,
    )


# --- arithmetic ------------------------------------------------------------------------------


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
