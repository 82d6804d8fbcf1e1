"""A ticket's clock, explained on its page: which business calendar counts it, the days in the
ticket's life that were not counted (or counted only in part) and why (weekend, public
holiday, an eve such as julafton, a closure with its reason), and the pauses.

Read from the same spec the clocks replay over (services/support/clocks.py,
services/calendars/spec.py), so the page says what the clock did. Cost: the ticket's events
and calendar (as clocks.statuses), plus one query for the closures' reasons; the days are
walked in memory (at most DAYS_SHOWN, counting from the ticket's creation).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import holidays
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.calendars.clock import ClockStatus, SegmentKind
from services.calendars.hours import CalendarSpec, eve_dates, public_holidays
from services.calendars.models import Closure, Eve, EveRule
from services.support import clocks
from services.support.models import ClockKind, Ticket, TicketState
from tenants.models import Agency

DAYS_SHOWN = 92  # a quarter: a longer life is summed up as "and N more days"


class DayReason:
    WEEKEND = "weekend"  # the calendar is closed on this weekday
    HOLIDAY = "holiday"
    EVE = "eve"
    CLOSURE = "closure"


@dataclass(frozen=True)
class SkippedDay:
    day: dt.date
    reason: str  # a DayReason
    label: str  # what the page shows: the weekday, the holiday or eve, the closure's reason
    partly: bool  # counted in part (a half-day eve, a closure of some hours)


@dataclass(frozen=True)
class Pause:
    start: dt.datetime
    end: dt.datetime
    reason: str
    minutes: int  # business minutes not counted
    ongoing: bool


@dataclass(frozen=True)
class ClockExplanation:
    calendar: str
    time_zone: str
    start: dt.date
    end: dt.date
    days: list[SkippedDay]
    more_days: int  # skipped days beyond DAYS_SHOWN
    pauses: list[Pause]
    lines: dict[str, list[str]]  # clock label -> the replay's explanation


@functools.cache
def _holiday_names(country: str, year: int, language: str) -> dict[dt.date, str]:
    try:
        found = holidays.country_holidays(
            country, years=year, categories=("public",), language=language
        )
    except (NotImplementedError, KeyError):
        return {}
    return dict(found.items())


def holiday_name(country: str, day: dt.date) -> str:
    """The holiday's name in the page's language (Swedish or English), as the package has it."""
    language = "sv" if (get_language() or "").startswith("sv") else "en_US"
    return _holiday_names(country, day.year, language).get(day, "") or _("Public holiday")


def _eve_label(day: dt.date) -> str:
    names = [str(Eve(e).label) for e in eve_dates(day.year).get(day, ()) if e in Eve.values]
    return ", ".join(names)


def skipped_days(
    spec: CalendarSpec, start: dt.date, end: dt.date, closure_reasons: dict[dt.date, str]
) -> tuple[list[SkippedDay], int]:
    """The days of [start, end] (local dates) the calendar did not count in full, and why;
    the first DAYS_SHOWN of them, and how many more there were."""
    found: list[SkippedDay] = []
    more = 0
    day = start
    while day <= end:
        entry = spec.weekly[day.weekday()]
        windows = spec.windows(day)
        normal = [entry] if entry is not None else []
        skipped = None
        if entry is None:
            skipped = SkippedDay(day, DayReason.WEEKEND, date_format(day, "l"), False)
        elif tuple(normal) != windows:
            partly = bool(windows)
            if day in public_holidays(spec.holiday_country, day.year):
                skipped = SkippedDay(
                    day, DayReason.HOLIDAY, holiday_name(spec.holiday_country, day), False
                )
            elif day in spec.closures_by_date:
                reason = closure_reasons.get(day) or _("Closed")
                skipped = SkippedDay(day, DayReason.CLOSURE, reason, partly)
            elif spec.eve_rule(day) in (EveRule.CLOSED, EveRule.HALF):
                skipped = SkippedDay(day, DayReason.EVE, _eve_label(day), partly)
        if skipped is not None:
            if len(found) < DAYS_SHOWN:
                found.append(skipped)
            else:
                more += 1
        day += dt.timedelta(days=1)
    return found, more


def _pause_reason(reason: str) -> str:
    if reason in TicketState.values:
        return str(TicketState(reason).label)
    return reason


def pauses(status: ClockStatus) -> list[Pause]:
    return [
        Pause(s.start, s.end, _pause_reason(s.reason), s.business_minutes, s.is_open)
        for s in status.segments
        if s.kind == SegmentKind.PAUSED
    ]


def explain(agency: Agency, ticket: Ticket, now: dt.datetime | None = None) -> ClockExplanation:
    """The explanation of `ticket`'s clocks (a ticket of `agency`), as of `now`."""
    now = now or timezone.now()
    with tenant_context(agency):
        spec = clocks.calendar_spec(agency, ticket)
        events = list(ticket.clock_events.all())
        statuses = clocks.statuses(agency, ticket, now=now, spec=spec, events=events)
        resolution = statuses[ClockKind.RESOLUTION]
        until = resolution.stopped_at if resolution.is_stopped else now
        start = timezone.localtime(ticket.created_at, spec.zone).date()
        end = timezone.localtime(until or now, spec.zone).date()
        reasons: dict[dt.date, str] = {}
        if spec.calendar_id is not None and spec.closures:
            for day, reason in (
                Closure.objects.filter(calendar_id=spec.calendar_id, date__gte=start, date__lte=end)
                .exclude(reason="")
                .order_by("date", "pk")
                .values_list("date", "reason")
            ):
                reasons.setdefault(day, reason)
    days, more = skipped_days(spec, start, end, reasons)
    return ClockExplanation(
        calendar=_("Always open") if spec is clocks.ALWAYS_OPEN else spec.name,
        time_zone=spec.time_zone,
        start=start,
        end=end,
        days=days,
        more_days=more,
        pauses=pauses(resolution),
        lines={
            str(ClockKind(kind).label): status.explanation() for kind, status in statuses.items()
        },
    )
