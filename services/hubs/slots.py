"""The slot grid of a hub and the load of each slot across all agencies.

A hub's slots start at each opening of its calendar's day and follow one another every
`slot_minutes`; a slot must end by the closing of that opening (a shorter tail is not offered).
Holidays, eves and closures come from the calendar (`services.calendars.hours`).

Capacity holds across agency schemas because every booking, whatever its agency, takes its
place through one public row per slot, with a conditional UPDATE in the booking's own
transaction (docs/decisions/2026-11-22-hub-capacity.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from services.calendars.hours import CalendarSpec, is_open, spec_for, to_minute
from services.hubs.errors import HubErrorCode as Code
from services.hubs.models import Hub, SlotLoad
from tenants.models import Agency


@dataclass(frozen=True)
class Slot:
    starts_at: dt.datetime
    ends_at: dt.datetime
    booked: int
    capacity: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


def hub_spec(hub: Hub, agency: Agency | None = None) -> CalendarSpec:
    """The hub's opening hours as a calendar spec (closures for all agencies, and the
    agency's own if given)."""
    return spec_for(hub.calendar, agency)


def slot_starts(hub: Hub, spec: CalendarSpec, day: dt.date) -> list[dt.datetime]:
    """Every slot start of the local date `day`, in order."""
    step = hub.slot_minutes
    starts = []
    for a, b in spec.intervals(day):
        minute = a
        while minute + step <= b:
            starts.append(spec.moment(minute))
            minute += step
    return starts


def horizon() -> dt.timedelta:
    """How far ahead a slot may be booked (SAMNAV_BOOKING_HORIZON_DAYS, 180 by default)."""
    return dt.timedelta(days=int(getattr(settings, "SAMNAV_BOOKING_HORIZON_DAYS", 180)))


def _error(code: str, message: str) -> ValidationError:
    return ValidationError({"starts_at": ValidationError(message, code=code)})


def check_slot(
    hub: Hub,
    starts_at: dt.datetime,
    *,
    spec: CalendarSpec | None = None,
    now: dt.datetime | None = None,
) -> dt.datetime:
    """The slot's end if `starts_at` is a bookable slot start of the hub; else a
    ValidationError on `starts_at` (in_past, closed, outside_hours or off_grid)."""
    if starts_at.tzinfo is None:
        raise _error(Code.INVALID, _("Give the time with its time zone."))
    now = now or timezone.now()
    if starts_at <= now:
        raise _error(Code.IN_PAST, _("This slot has already begun."))
    if starts_at > now + horizon():
        raise _error(
            Code.BEYOND_HORIZON,
            _("Slots can be booked at most %(days)s days ahead.") % {"days": horizon().days},
        )
    spec = spec or hub_spec(hub)
    minute = to_minute(starts_at)
    if starts_at.second or starts_at.microsecond:
        raise _error(Code.OFF_GRID, _("Slots start on whole minutes."))
    day = spec.local_date(minute)
    intervals = spec.intervals(day)
    if not intervals:
        raise _error(Code.CLOSED, _("The hub is closed that day."))
    if not is_open(spec, starts_at):
        raise _error(Code.OUTSIDE_HOURS, _("The hub is not open at that time."))
    for a, b in intervals:
        if a <= minute < b:
            if (minute - a) % hub.slot_minutes:
                raise _error(
                    Code.OFF_GRID,
                    _("Slots start every %(minutes)s minutes from opening.")
                    % {"minutes": hub.slot_minutes},
                )
            if minute + hub.slot_minutes > b:
                raise _error(Code.OUTSIDE_HOURS, _("The slot would end after closing."))
            return starts_at + dt.timedelta(minutes=hub.slot_minutes)
    raise _error(Code.OUTSIDE_HOURS, _("The hub is not open at that time."))  # pragma: no cover


def day_slots(
    hub: Hub, day: dt.date, *, agency: Agency | None = None, now: dt.datetime | None = None
) -> list[Slot]:
    """The slots of `day` that have not begun, with their load over every agency."""
    spec = hub_spec(hub, agency)
    now = now or timezone.now()
    last = now + horizon()
    if not now.date() - dt.timedelta(days=1) <= day <= last.date():
        return []  # before today, or past the horizon: nothing to book
    starts = [s for s in slot_starts(hub, spec, day) if now < s <= last]
    if not starts:
        return []
    loads = dict(
        SlotLoad.objects.filter(hub=hub, starts_at__in=starts).values_list("starts_at", "booked")
    )
    step = dt.timedelta(minutes=hub.slot_minutes)
    return [Slot(s, s + step, loads.get(s, 0), hub.capacity) for s in starts]


def take_place(hub: Hub, starts_at: dt.datetime) -> bool:
    """Take one place in the slot if one is free (call inside the booking's transaction).
    The row is created if missing (INSERT ... ON CONFLICT DO NOTHING), then incremented only
    while below the hub's capacity: concurrent bookers queue on the row lock and each
    re-checks the condition against the committed count."""
    SlotLoad.objects.bulk_create(
        [SlotLoad(hub=hub, starts_at=starts_at, booked=0)], ignore_conflicts=True
    )
    updated = SlotLoad.objects.filter(hub=hub, starts_at=starts_at, booked__lt=hub.capacity).update(
        booked=F("booked") + 1
    )
    return updated == 1


def give_back(hub_id: int, starts_at: dt.datetime) -> None:
    """Free one place (a cancelled booking)."""
    SlotLoad.objects.filter(hub_id=hub_id, starts_at=starts_at, booked__gt=0).update(
        booked=F("booked") - 1
    )
