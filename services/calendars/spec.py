"""A business calendar as an immutable spec: its weekly opening hours, eves, holidays and
closures, in minutes, read once from the database (`spec_for`) and never again.

The spec answers which wall-clock windows of a local date are open (`windows`) and which real
intervals, in minutes since the epoch, they are (`intervals`), exactly across DST changes; the
arithmetic on those is in `services.calendars.hours` (see its conventions).
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from services.calendars.holiday_dates import eve_dates, public_holidays
from services.calendars.models import BusinessCalendar, Eve, EveRule

if TYPE_CHECKING:
    from tenants.models import Agency

MINUTES_PER_DAY = 24 * 60
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_DATE = dt.date(1970, 1, 1)
_MINUTE = dt.timedelta(minutes=1)

Window = tuple[int, int]  # [start, end) in minutes from local midnight, 0 <= start < end <= 1440
Interval = tuple[int, int]  # [start, end) in minutes since the Unix epoch (UTC)
ClosureRule = tuple[dt.date, int | None, int | None]  # date, closes_at, opens_at (minutes)


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
    if closes_at is None:
        return [(0, MINUTES_PER_DAY if opens_at is None else opens_at)]
    if opens_at is None:
        return [(closes_at, MINUTES_PER_DAY)]
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
        return (self.moment(minute).utcoffset() or dt.timedelta()) // _MINUTE  # always aware

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


def spec_for(calendar: BusinessCalendar, agency: Agency | int | None = None) -> CalendarSpec:
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
