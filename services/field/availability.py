"""Which technicians can take a visit: they cover its county, the window lies inside their
working calendar's open hours, and they are not booked for an overlapping visit (of any
agency). Ordered by the distance between their home county's seat and the visit county's seat
(`tenants.counties.distance_km`), ties by username and id.

Reads public rows only: technicians, their calendars and their bookings. A constant number of
queries per call, plus one per distinct working calendar (calendars are few).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from services.calendars.hours import CalendarSpec, business_minutes, spec_for
from services.field.models import Booking, Technician
from tenants.counties import COUNTIES, distance_km

Window = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Suggestion:
    technician: Technician
    distance_km: float
    free_windows: tuple[Window, ...]


def covering(county: str) -> QuerySet[Technician]:
    """Active technicians who cover `county`, with their identity and calendar."""
    return (
        Technician.objects.filter(is_active=True, counties__contains=[county], user__is_active=True)
        .select_related("user", "calendar")
        .prefetch_related("calendar__opening_hours")
    )


def within_hours(spec: CalendarSpec, start: dt.datetime, end: dt.datetime) -> bool:
    """The whole of [start, end) is open in the calendar."""
    minutes = int((end - start).total_seconds() // 60)
    return minutes > 0 and business_minutes(spec, start, end) == minutes


def overlaps(bookings: Iterable[Booking], start: dt.datetime, end: dt.datetime) -> bool:
    return any(b.starts_at < end and start < b.ends_at for b in bookings)


def bookings_of(
    technician_ids: Iterable[int],
    windows: list[Window],
    *,
    exclude: tuple[int, int] | None = None,
) -> dict[int, list[Booking]]:
    """Bookings of the technicians that overlap any of the windows (one query). `exclude`:
    (agency id, visit id) of the visit being dispatched, whose own booking does not count."""
    if not windows or not technician_ids:
        return {}
    lo = min(s for s, _e in windows)
    hi = max(e for _s, e in windows)
    qs = Booking.objects.filter(
        technician_id__in=list(technician_ids), starts_at__lt=hi, ends_at__gt=lo
    )
    if exclude is not None:
        qs = qs.exclude(agency_id=exclude[0], visit_id=exclude[1])
    found: dict[int, list[Booking]] = defaultdict(list)
    for booking in qs:
        found[booking.technician_id].append(booking)
    return found


def free_windows(
    technician: Technician,
    windows: list[Window],
    bookings: Iterable[Booking],
    specs: dict[int, CalendarSpec],
) -> list[Window]:
    spec = specs.get(technician.calendar_id)
    if spec is None:
        spec = specs[technician.calendar_id] = spec_for(technician.calendar)
    return [(s, e) for s, e in windows if within_hours(spec, s, e) and not overlaps(bookings, s, e)]


def suggest(
    county: str, windows: list[Window], *, exclude: tuple[int, int] | None = None
) -> list[Suggestion]:
    """Technicians free in at least one of `windows` for a visit in `county`, nearest first."""
    if county not in COUNTIES or not windows:
        return []
    windows = sorted(windows)
    technicians = list(covering(county))
    booked = bookings_of([t.pk for t in technicians], windows, exclude=exclude)
    specs: dict = {}
    out = []
    for tech in technicians:
        free = free_windows(tech, windows, booked.get(tech.pk, []), specs)
        if free:
            out.append(
                Suggestion(tech, round(distance_km(tech.home_county, county), 1), tuple(free))
            )
    out.sort(key=lambda s: (s.distance_km, s.technician.user.username, s.technician.pk))
    return out


def is_free(
    technician: Technician,
    start: dt.datetime,
    end: dt.datetime,
    *,
    exclude: tuple[int, int] | None = None,
) -> str:
    """ "" when the technician can take [start, end); else why not: "inactive", "hours",
    "busy". Call under a lock on the technician's row to act on the answer."""
    if not technician.is_active or not technician.user.is_active:
        return "inactive"
    if not within_hours(spec_for(technician.calendar), start, end):
        return "hours"
    qs = Booking.objects.filter(technician=technician, starts_at__lt=end, ends_at__gt=start)
    if exclude is not None:
        qs = qs.exclude(Q(agency_id=exclude[0]) & Q(visit_id=exclude[1]))
    return "busy" if qs.exists() else ""
