"""Demo field visits for a few demo agencies, through the real actions: one requested, one
dispatched, one done, each about one of the agency's open demo tickets. The time windows asked
for lie on the next business days of the technicians' office calendar (no weekends, public
holidays or closed eves), from tomorrow, within office hours, so there are visits to dispatch
whatever day and hour the demo is loaded. The done visit is counted in the agency's visit
driver of this month, as any finished visit is; its times are then moved to the last office
morning that has ended (09:00-12:00, arrived 09:20, on site 55 minutes), never to the evening
or night the demo may be loaded in. Idempotent: an agency with visits is left alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tenants.utils import tenant_context

from demo.data.calendars import OFFICE
from services.calendars.hours import spec_for
from services.calendars.models import BusinessCalendar
from services.field.models import Technician
from services.field.visits import actions
from services.field.visits.models import Visit, VisitWindow
from services.support.models import OPEN_TICKET_STATES, Ticket

AGENCIES = ("stockholm", "uppsala", "skane", "vastra-gotaland", "vasternorrland")
# The windows asked for: FIRST-12 and 13-LAST o'clock, local time.
FIRST_HOUR, LAST_HOUR = 9, 16


def _business_days(count: int) -> list[dt.date]:
    """The next `count` days after Stockholm's today that the office calendar keeps open from
    FIRST_HOUR to LAST_HOUR; Monday to Friday when there is no such calendar, or when it opens
    too rarely to give `count` such days within a month."""
    today = timezone.localdate()
    ahead = [today + dt.timedelta(days=n) for n in range(1, 32)]
    calendar = BusinessCalendar.objects.filter(name=OFFICE).first()
    if calendar is not None:
        spec = spec_for(calendar)
        found = [
            day
            for day in ahead
            if any(a <= FIRST_HOUR * 60 and b >= LAST_HOUR * 60 for a, b in spec.windows(day))
        ]
        if len(found) >= count:
            return found[:count]
    return [day for day in ahead if day.weekday() < 5][:count]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _dispatch_first_free(agency, desk, visit) -> Technician | None:
    with tenant_context(agency):
        visit = Visit.objects.get(pk=visit.pk)
    suggestions = actions.suggest_technicians(agency, visit)
    if not suggestions:
        return None
    best = suggestions[0]
    start, end = best.free_windows[0]
    with tenant_context(agency):
        window = VisitWindow.objects.get(visit=visit, starts_at=start, ends_at=end)
    actions.dispatch_visit(
        agency, desk, visit.pk, technician_id=best.technician.pk, window_id=window.pk
    )
    return best.technician


def load_agency_visits(agency, desk) -> int:
    """Visits for `agency` if it is one of the demo's visit agencies; returns how many were
    made. Run after its tickets (support demo) and the technicians (dispatch demo)."""
    if agency.slug not in AGENCIES or not agency.county:
        return 0
    with tenant_context(agency):
        if Visit.objects.exists():
            return 0
        tickets = list(
            Ticket.objects.filter(state__in=OPEN_TICKET_STATES)
            .order_by("pk")
            .values_list("pk", flat=True)[:3]
        )
    if len(tickets) < 3:
        return 0
    days = _business_days(5)
    made = []
    for i, (ticket_id, place) in enumerate(zip(tickets, ("home", "office", "office"), strict=True)):
        data = actions.NewVisit(
            ticket_id=ticket_id,
            place_kind=place,
            windows=[
                (_at(days[i], FIRST_HOUR), _at(days[i], 12)),
                (_at(days[i + 2], 13), _at(days[i + 2], LAST_HOUR)),
            ],
            street_address="Demogatan 1" if place == "home" else "Kontoret, plan 2",
            city="Demostad" if place == "home" else "",
            notes="Demobesök",
        )
        made.append(actions.request_visit(agency, desk, data))
    # the second: dispatched; the third: dispatched, on site and done
    _dispatch_first_free(agency, desk, made[1])
    tech = _dispatch_first_free(agency, desk, made[2])
    if tech is not None:
        _book_around_now(agency, made[2].pk)  # arrival is allowed within the booked interval
        actions.mark_arrived(agency, tech.user, made[2].pk)
        actions.complete_visit(
            agency, tech.user, made[2].pk, done=True, travel_minutes=35, on_site_minutes=55
        )
        _to_last_office_morning(agency, made[2].pk)
    return len(made)


def _office_open(day: dt.date, first: int, last: int) -> bool:
    calendar = BusinessCalendar.objects.filter(name=OFFICE).first()
    if calendar is None:
        return day.weekday() < 5
    return any(a <= first * 60 and b >= last * 60 for a, b in spec_for(calendar).windows(day))


def _last_office_morning() -> dt.date:
    """The latest day, today included, whose office morning (FIRST_HOUR-12) is open and over."""
    now = timezone.localtime()
    for back in range(0, 32):
        day = now.date() - dt.timedelta(days=back)
        if _at(day, 12) <= now and _office_open(day, FIRST_HOUR, 12):
            return day
    return now.date() - dt.timedelta(days=1)


def _shift(agency, visit_id: int, start: dt.datetime, **extra: dt.datetime) -> None:
    """Move a demo visit's windows and booked interval so that it starts at `start`."""
    with tenant_context(agency):
        visit = Visit.objects.get(pk=visit_id)
        assert visit.confirmed_start is not None and visit.confirmed_end is not None  # booked
        shift = visit.confirmed_start - start
        for window in visit.windows.all():
            window.starts_at -= shift
            window.ends_at -= shift
            window.save(update_fields=["starts_at", "ends_at"])
        visit.confirmed_start -= shift
        visit.confirmed_end -= shift
        for name, value in extra.items():
            setattr(visit, name, value)
        visit.save(update_fields=["confirmed_start", "confirmed_end", *extra])
        actions.index_visit(agency, visit)


def _book_around_now(agency, visit_id: int) -> None:
    """The demo technician arrives now: the booked interval is moved to start now (for the
    moment it takes to finish the visit; `_to_last_office_morning` moves it back)."""
    _shift(agency, visit_id, timezone.now())


def _to_last_office_morning(agency, visit_id: int) -> None:
    """Move a finished demo visit to the last office morning that has ended."""
    day = _last_office_morning()
    start = _at(day, FIRST_HOUR)
    arrived = start + dt.timedelta(minutes=20)
    _shift(
        agency,
        visit_id,
        start,
        arrived_at=arrived,
        finished_at=arrived + dt.timedelta(minutes=55),
        created_at=start - dt.timedelta(days=1),
    )
