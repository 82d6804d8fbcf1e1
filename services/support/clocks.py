"""A ticket's two agreement clocks (first response and resolution): recorded as events,
replayed over the agreement's business calendar (services/calendars), and mirrored into the
cross-agency index (due time, warning time) for the central queue and escalation.

Targets come from the ticket's agreement for its priority. Pausing follows the ticket's
state (SAMNAV_PAUSE_STATES, by default waiting on the requester); a change of priority or
agreement records a target change, which keeps the minutes already counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from services.calendars import clock as engine
from services.calendars.hours import CalendarSpec, spec_for
from services.calendars.models import BusinessCalendar
from services.catalogue.models import AgreementTarget
from services.crossindex.actions import upsert as index_upsert
from services.crossindex.models import IndexKind
from services.support.models import ClockEvent, ClockEventKind, ClockKind, Ticket, TicketState
from tenants.models import Agency

ALWAYS_OPEN = CalendarSpec(weekly=((0, 1440),) * 7, name="always open")


def pause_states() -> tuple[str, ...]:
    return tuple(getattr(settings, "SAMNAV_PAUSE_STATES", (TicketState.WAITING_REQUESTER,)))


def targets(ticket: Ticket) -> dict[str, int | None]:
    row = None
    if ticket.agreement_id:
        row = AgreementTarget.objects.filter(
            agreement_id=ticket.agreement_id, priority=ticket.priority
        ).first()
    return {
        ClockKind.RESPONSE: row.response_minutes if row else None,
        ClockKind.RESOLUTION: row.resolution_minutes if row else None,
    }


def calendar_spec(agency: Agency, ticket: Ticket) -> CalendarSpec:
    calendar = None
    if ticket.agreement_id:
        calendar = BusinessCalendar.objects.filter(agreements__pk=ticket.agreement_id).first()
    if calendar is None:
        name = getattr(settings, "SAMNAV_DEFAULT_CALENDAR", "Standard kontorstid")
        calendar = BusinessCalendar.objects.filter(name=name).first()
    if calendar is None:
        return ALWAYS_OPEN
    calendar = BusinessCalendar.objects.prefetch_related("opening_hours").get(pk=calendar.pk)
    return spec_for(calendar, agency)


def _event(
    ticket: Ticket,
    clock: str,
    kind: str,
    *,
    minutes: int | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> None:
    ClockEvent.objects.create(
        ticket=ticket,
        clock=clock,
        kind=kind,
        target_minutes=minutes,
        reason=(reason or "")[:200],
        at=at or timezone.now(),
    )


def start(agency: Agency, ticket: Ticket) -> None:
    for clock, minutes in targets(ticket).items():
        _event(ticket, clock, ClockEventKind.STARTED, minutes=minutes, at=ticket.created_at)
    index(agency, ticket)


def stop(agency: Agency, ticket: Ticket, clock: str, reason: str = "") -> None:
    _event(ticket, clock, ClockEventKind.STOPPED, reason=reason)


def retarget(agency: Agency, ticket: Ticket, reason: str) -> None:
    for clock, minutes in targets(ticket).items():
        _event(ticket, clock, ClockEventKind.TARGET_CHANGED, minutes=minutes, reason=reason)


def follow_state(agency: Agency, ticket: Ticket, before: str, state: str, reason: str) -> None:
    paused = pause_states()
    resolution = ClockKind.RESOLUTION
    if state in (TicketState.RESOLVED, TicketState.CLOSED) and before not in (
        TicketState.RESOLVED,
        TicketState.CLOSED,
    ):
        _event(ticket, resolution, ClockEventKind.STOPPED, reason=reason)
        if ticket.first_response_at is None:
            _event(ticket, ClockKind.RESPONSE, ClockEventKind.STOPPED, reason=reason)
    elif before == TicketState.RESOLVED and state not in (TicketState.CLOSED,):
        _event(ticket, resolution, ClockEventKind.RESUMED, reason=reason or "reopened")
    elif state in paused and before not in paused:
        _event(ticket, resolution, ClockEventKind.PAUSED, reason=reason or state)
    elif before in paused and state not in paused:
        _event(ticket, resolution, ClockEventKind.RESUMED, reason=reason)


def statuses(
    agency: Agency,
    ticket: Ticket,
    now: dt.datetime | None = None,
    spec: CalendarSpec | None = None,
    events: Iterable[ClockEvent] | None = None,
) -> dict[str, engine.ClockStatus]:
    """Both clocks replayed up to `now` (events may be passed in, prefetched)."""
    spec = spec or calendar_spec(agency, ticket)
    now = now or timezone.now()
    events = list(events if events is not None else ticket.clock_events.all())
    out = {}
    for clock in ClockKind.values:
        mine = [e for e in events if e.clock == clock]
        started = next((e for e in mine if e.kind == ClockEventKind.STARTED), None)
        replayable = [
            engine.ClockEvent(e.kind, e.at, e.target_minutes, e.reason)
            for e in mine
            if e.kind not in (ClockEventKind.WARNED, ClockEventKind.BREACHED)
        ]
        out[clock] = engine.replay(
            spec, started.target_minutes if started else None, replayable, now
        )
    return out


def running_clock(ticket: Ticket) -> str:
    return ClockKind.RESPONSE if ticket.first_response_at is None else ClockKind.RESOLUTION


def index(agency: Agency, ticket: Ticket) -> None:
    """Mirror the ticket into the cross-agency index: state, priority, the due time of the
    clock that runs (first response until answered, then resolution), its warning time."""
    events = list(ticket.clock_events.all())
    st = statuses(agency, ticket, events=events)
    which = ClockKind.RESPONSE if ticket.first_response_at is None else ClockKind.RESOLUTION
    if st[which].is_stopped:
        which = ClockKind.RESOLUTION
    clock = st[which]
    # How far escalation got is what was notified (recorded events), not what is due.
    sent = {e.kind for e in events if e.clock == which}
    escalation = 2 if ClockEventKind.BREACHED in sent else 1 if ClockEventKind.WARNED in sent else 0
    index_upsert(
        IndexKind.TICKET,
        ticket.pk,
        agency=agency,
        state=ticket.state,
        priority=ticket.priority,
        due_at=clock.due_at,
        warn_at=clock.warning_at,
        assignee_id=ticket.assignee_id,
        service_id=ticket.service_id,
        agreement_id=ticket.agreement_id,
        group=ticket.group,
        escalation=escalation,
        is_proactive=ticket.is_proactive,
    )
