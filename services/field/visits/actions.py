"""Write paths of field visits: request, suggest, dispatch, arrive, complete, cancel.

Each change writes the visit's row in the cross-agency index (state, start, technician,
county; never the address) in the same transaction, and dispatch's public rows (the
technician's booking, the monthly driver) in that transaction too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.crossindex import actions as index
from services.crossindex.models import IndexKind
from services.field import actions as dispatch
from services.field import availability
from services.field import policies as dispatching
from services.field.visits import notify, policies
from services.field.visits.errors import VisitErrorCode as Code
from services.field.visits.models import PlaceKind, Visit, VisitState, VisitWindow
from services.people.models import Person
from services.support.models import OPEN_TICKET_STATES, Ticket
from tenants.counties import COUNTIES
from tenants.viewer import Viewer

MAX_MINUTES = 24 * 60


def max_windows() -> int:
    return int(getattr(settings, "SAMNAV_VISIT_MAX_WINDOWS", 5))


def horizon_days() -> int:
    return int(getattr(settings, "SAMNAV_VISIT_HORIZON_DAYS", 60))


def _error(name: str, message: str, code: Code) -> ValidationError:
    return ValidationError({name: ValidationError(message, code=code)})


@dataclass
class NewVisit:
    ticket_id: int
    place_kind: str
    windows: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    county: str = ""
    contact_phone: str = ""
    notes: str = ""


def _minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def _checked_windows(windows, now: dt.datetime) -> tuple[list, dict]:
    errors: dict[str, list] = {}
    if not windows:
        errors["windows"] = [ValidationError(_("Give at least one time window."), Code.REQUIRED)]
        return [], errors
    if len(windows) > max_windows():
        errors["windows"] = [
            ValidationError(
                _("At most %(count)s time windows.") % {"count": max_windows()},
                Code.TOO_MANY_WINDOWS,
            )
        ]
        return [], errors
    horizon = now + dt.timedelta(days=horizon_days())
    out = []
    for i, (start, end) in enumerate(windows):
        if start is None or end is None or start.tzinfo is None or end.tzinfo is None:
            errors[f"windows.{i}"] = [
                ValidationError(_("Give a start and an end with a time zone."), Code.INVALID)
            ]
            continue
        start, end = _minute(start), _minute(end)
        if start <= now:
            errors[f"windows.{i}.starts_at"] = [
                ValidationError(_("The window must start in the future."), Code.DATE_IN_PAST)
            ]
        elif end <= start:
            errors[f"windows.{i}.ends_at"] = [
                ValidationError(_("The window must end after it starts."), Code.END_BEFORE_START)
            ]
        elif end > horizon:
            errors[f"windows.{i}.ends_at"] = [
                ValidationError(
                    _("At most %(days)s days ahead.") % {"days": horizon_days()},
                    Code.TOO_FAR_AHEAD,
                )
            ]
        elif end - start > dt.timedelta(hours=12):
            errors[f"windows.{i}.ends_at"] = [
                ValidationError(_("A window is at most 12 hours long."), Code.OUT_OF_RANGE)
            ]
        else:
            out.append((start, end))
    return sorted(out), errors


def _ticket_for(agency, actor, ticket_id: int) -> Ticket:
    """The ticket a visit is for: central agents and the agency's admins may use any of the
    agency's tickets, its staff only their own (someone else's is as unknown as a missing
    one). Call inside the agency's schema."""
    ticket = Ticket.objects.select_related("requester").filter(pk=ticket_id).first()
    viewer = Viewer.of(actor, agency)
    if policies.uses_any_ticket(viewer):
        pass
    elif policies.is_member(viewer):
        if ticket is not None and ticket.requester.user_id != actor.pk:
            ticket = None
    else:
        raise PermissionDenied(_("You have no role in this agency."))
    if ticket is None:
        raise _error("ticket", _("No such ticket."), Code.NOT_FOUND)
    if ticket.state not in OPEN_TICKET_STATES:
        raise _error("ticket", _("The ticket is no longer open."), Code.INVALID_STATE)
    return ticket


def _place(agency, person: Person, data: NewVisit) -> tuple[dict, dict]:
    """The address fields: given values, else the person's address (home) or the agency's
    county (home and office)."""
    errors: dict[str, list] = {}
    kind = data.place_kind
    if kind not in PlaceKind.values:
        return {}, {"place_kind": [ValidationError(_("Unknown place."), Code.INVALID)]}
    place = {
        "street_address": (data.street_address or "").strip(),
        "postal_code": (data.postal_code or "").strip(),
        "city": (data.city or "").strip(),
        "county": (data.county or "").strip().upper(),
    }
    if kind == PlaceKind.HOME:
        for name in ("street_address", "postal_code", "city"):
            place[name] = place[name] or getattr(person, name)
    if kind in (PlaceKind.HOME, PlaceKind.OFFICE):
        place["county"] = place["county"] or (agency.county or "")
    if kind != PlaceKind.OFFICE:
        for name in ("street_address", "city"):
            if not place[name]:
                errors[name] = [ValidationError(_("Say where the visit is."), Code.REQUIRED)]
    if not place["county"]:
        errors["county"] = [ValidationError(_("Give the county."), Code.REQUIRED)]
    elif place["county"] not in COUNTIES:
        errors["county"] = [ValidationError(_("Unknown county code."), Code.UNKNOWN_COUNTY)]
    for name, limit in (("street_address", 200), ("postal_code", 10), ("city", 100)):
        if len(place[name]) > limit:
            errors[name] = [
                ValidationError(_("At most %(n)s characters.") % {"n": limit}, Code.INVALID)
            ]
    return place, errors


def index_visit(agency, visit: Visit, **extra) -> None:
    first = visit.windows.order_by("starts_at").values_list("starts_at", flat=True).first()
    index.upsert(
        IndexKind.VISIT,
        visit.pk,
        agency=agency,
        state=visit.state,
        due_at=visit.confirmed_start or first,
        assignee_id=visit.technician_id,
        group=visit.county,
        **extra,
    )


def request_visit(agency, actor, data: NewVisit) -> Visit:
    """Ask for a technician to come: the requester for their own ticket, the agency's admin or
    a central agent for any of the agency's tickets. The visit's requester is the ticket's."""
    now = timezone.now()
    windows, errors = _checked_windows(data.windows, now)
    if len(data.notes or "") > 2000:
        errors["notes"] = [ValidationError(_("At most 2000 characters."), Code.INVALID)]
    with tenant_context(agency), transaction.atomic():
        try:
            ticket = _ticket_for(agency, actor, data.ticket_id)
        except ValidationError as exc:
            errors.update(exc.error_dict)
            raise ValidationError(errors) from exc
        person = ticket.requester
        place, place_errors = _place(agency, person, data)
        errors.update(place_errors)
        if errors:
            raise ValidationError(errors)
        visit = Visit.objects.create(
            ticket=ticket,
            requester=person,
            place_kind=data.place_kind,
            contact_phone=(data.contact_phone or "").strip()[:32] or person.phone,
            notes=(data.notes or "").strip(),
            created_by_id=actor.pk,
            **place,
        )
        VisitWindow.objects.bulk_create(
            VisitWindow(visit=visit, starts_at=s, ends_at=e) for s, e in windows
        )
        index_visit(agency, visit, priority=ticket.priority)
    return visit


def _lock(visit_id: int) -> Visit:
    visit = Visit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None:
        raise _error("visit", _("No such visit."), Code.NOT_FOUND)
    return visit


def _future_windows(visit: Visit, now: dt.datetime) -> list[VisitWindow]:
    return [w for w in visit.windows.all() if w.starts_at > now]


def suggest_technicians(agency, visit: Visit) -> list[availability.Suggestion]:
    """Technicians who cover the visit's county and are free in at least one of its future
    windows, nearest first. The caller checks that the reader may dispatch."""
    with tenant_context(agency):
        windows = [(w.starts_at, w.ends_at) for w in _future_windows(visit, timezone.now())]
    return availability.suggest(visit.county, windows, exclude=(agency.pk, visit.pk))


def dispatch_visit(agency, actor, visit_id: int, *, technician_id: int, window_id: int) -> Visit:
    """Book a technician for one of the visit's windows and tell the requester. The
    technician's row is locked while their bookings are checked, so two dispatchers cannot
    book one technician twice, whichever agencies the visits belong to."""
    if not dispatching.dispatches_anywhere(Viewer.of(actor)):
        raise PermissionDenied(_("Only the service desk dispatches visits."))
    with tenant_context(agency), transaction.atomic():
        visit = _lock(visit_id)
        if visit.state != VisitState.REQUESTED:
            raise _error("visit", _("Only a requested visit is dispatched."), Code.INVALID_STATE)
        window = visit.windows.filter(pk=window_id).first()
        if window is None:
            raise _error("window", _("Not one of the visit's windows."), Code.NOT_FOUND)
        if window.starts_at <= timezone.now():
            raise _error("window", _("The window has begun or passed."), Code.DATE_IN_PAST)
        tech = dispatch.lock_technician(technician_id)
        if tech is None or not dispatching.works_as_technician(Viewer.of(tech.user)):
            raise _error("technician", _("No such technician."), Code.NOT_FOUND)
        if visit.county not in tech.counties:
            raise _error(
                "technician", _("The technician does not cover this county."), Code.NOT_COVERED
            )
        why = availability.is_free(
            tech, window.starts_at, window.ends_at, exclude=(agency.pk, visit.pk)
        )
        if why == "hours":
            raise _error("window", _("Outside the technician's working hours."), Code.OUTSIDE_HOURS)
        if why == "busy":
            raise _error(
                "technician",
                _("The technician is booked for another visit then."),
                Code.TECHNICIAN_BUSY,
            )
        if why:
            raise _error("technician", _("The technician is not active."), Code.INVALID)
        dispatch.book(tech, agency, visit.pk, window.starts_at, window.ends_at)
        visit.state = VisitState.DISPATCHED
        visit.technician_id = tech.user_id
        visit.confirmed_start, visit.confirmed_end = window.starts_at, window.ends_at
        visit.dispatched_by_id = actor.pk
        visit.save(
            update_fields=[
                "state",
                "technician_id",
                "confirmed_start",
                "confirmed_end",
                "dispatched_by_id",
            ]
        )
        index_visit(agency, visit)
        ticket = Ticket.objects.select_related("requester").get(pk=visit.ticket_id)
        notify.tell_requester(
            agency,
            ticket,
            ticket.requester,
            actor,
            notify.dispatched_text(agency, visit, ticket),
            _("Visit booked: "),
        )
    return visit


def _may_work_on(actor, visit: Visit) -> None:
    """The assigned technician, or a platform admin."""
    if not policies.works_on(Viewer.of(actor), visit):
        raise PermissionDenied(_("This is not your visit."))


def mark_arrived(agency, actor, visit_id: int) -> Visit:
    with tenant_context(agency), transaction.atomic():
        visit = _lock(visit_id)
        _may_work_on(actor, visit)
        if visit.state != VisitState.DISPATCHED:
            raise _error("visit", _("Only a dispatched visit can start."), Code.INVALID_STATE)
        visit.state = VisitState.ARRIVED
        visit.arrived_at = timezone.now()
        visit.save(update_fields=["state", "arrived_at"])
        index_visit(agency, visit)
    return visit


def _minutes_value(name: str, value, errors: dict, *, required: bool) -> int | None:
    if value is None:
        if required:
            errors[name] = [ValidationError(_("Give the minutes."), Code.REQUIRED)]
        return None
    if not isinstance(value, int) or not 0 <= value <= MAX_MINUTES:
        errors[name] = [
            ValidationError(
                _("Between 0 and %(max)s minutes.") % {"max": MAX_MINUTES}, Code.OUT_OF_RANGE
            )
        ]
        return None
    return value


def complete_visit(
    agency,
    actor,
    visit_id: int,
    *,
    done: bool,
    travel_minutes: int | None,
    on_site_minutes: int | None = None,
    reason: str = "",
) -> Visit:
    """Done, or could not be completed (with a reason). Records travel and time on site (from
    arrival until now unless given) and counts the visit, once, in its agency's driver of the
    month it finished in."""
    errors: dict[str, list] = {}
    travel = _minutes_value("travel_minutes", travel_minutes, errors, required=True)
    on_site = _minutes_value("on_site_minutes", on_site_minutes, errors, required=False)
    reason = (reason or "").strip()
    if not done and not reason:
        errors["reason"] = [ValidationError(_("Say why it could not be done."), Code.REQUIRED)]
    elif len(reason) > 500:
        errors["reason"] = [ValidationError(_("At most 500 characters."), Code.INVALID)]
    with tenant_context(agency), transaction.atomic():
        visit = _lock(visit_id)
        _may_work_on(actor, visit)
        allowed = (VisitState.ARRIVED,) if done else (VisitState.ARRIVED, VisitState.DISPATCHED)
        if visit.state not in allowed:
            raise _error(
                "visit",
                _("Mark your arrival first.")
                if done and visit.state == VisitState.DISPATCHED
                else _("The visit is not under way."),
                Code.INVALID_STATE,
            )
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        if on_site is None:
            seconds = (now - visit.arrived_at).total_seconds() if visit.arrived_at else 0
            on_site = min(int(seconds // 60), MAX_MINUTES)
        visit.state = VisitState.DONE if done else VisitState.NOT_COMPLETED
        visit.finished_at = now
        visit.travel_minutes, visit.on_site_minutes = travel, on_site
        visit.reason = "" if done else reason
        fields = ["state", "finished_at", "travel_minutes", "on_site_minutes", "reason"]
        if visit.counted_month is None:
            visit.counted_month = dispatch.month_of(now)
            dispatch.count_visit(agency, visit.counted_month, on_site=on_site, travel=travel)
            fields.append("counted_month")
        visit.save(update_fields=fields)
        dispatch.release(agency, visit.pk)
        index_visit(agency, visit)
    return visit


def cancel_visit(agency, actor, visit_id: int, reason: str = "") -> Visit:
    """The requester (their own), the agency's admins or the service desk cancel a visit that
    has not started; the technician's booking is released."""
    with tenant_context(agency), transaction.atomic():
        visit = Visit.objects.select_for_update().filter(pk=visit_id).first()
        own = (
            visit is not None
            and Person.objects.filter(pk=visit.requester_id, user_id=actor.pk).exists()
        )
        viewer = Viewer.of(actor, agency)
        if not (own or policies.cancels_any_visit(viewer)):
            if not policies.reaches_visits(viewer):
                raise PermissionDenied(_("You have no role in this agency."))
            visit = None  # someone else's visit is as unknown as a missing one
        if visit is None:
            raise _error("visit", _("No such visit."), Code.NOT_FOUND)
        if visit.state not in (VisitState.REQUESTED, VisitState.DISPATCHED):
            raise _error("visit", _("The visit can no longer be cancelled."), Code.INVALID_STATE)
        visit.state = VisitState.CANCELLED
        visit.reason = (reason or "").strip()[:500]
        visit.save(update_fields=["state", "reason"])
        dispatch.release(agency, visit.pk)
        index_visit(agency, visit)
    return visit
