"""Asking for a visit (for a ticket, with the time windows that suit and where to come) and
calling it off before it starts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.field import actions as dispatch
from services.field.visits import policies
from services.field.visits.actions.rows import index_visit
from services.field.visits.errors import VisitErrorCode as Code
from services.field.visits.models import PlaceKind, Visit, VisitState, VisitWindow
from services.people.models import Person
from services.support.models import OPEN_TICKET_STATES, Ticket
from services.validation import Errors, clean_text, field_error, text
from tenants.counties import COUNTIES
from tenants.models import Agency, User
from tenants.viewer import Viewer

Window = tuple[dt.datetime, dt.datetime]

NOTES_MAX_LENGTH = 2000
# The address fields and their longest values.
PLACE_MAX_LENGTHS = {"street_address": 200, "postal_code": 10, "city": 100}


def max_windows() -> int:
    return int(getattr(settings, "SAMNAV_VISIT_MAX_WINDOWS", 5))


def horizon_days() -> int:
    return int(getattr(settings, "SAMNAV_VISIT_HORIZON_DAYS", 60))


@dataclass
class NewVisit:
    ticket_id: int
    place_kind: str
    windows: list[Window] = field(default_factory=list)
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    county: str = ""
    contact_phone: str = ""
    notes: str = ""


def _minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def _checked_windows(errors: Errors, windows: Sequence[Window], now: dt.datetime) -> list[Window]:
    if not windows:
        errors.add("windows", _("Give at least one time window."), Code.REQUIRED)
        return []
    if len(windows) > max_windows():
        errors.add(
            "windows",
            _("At most %(count)s time windows.") % {"count": max_windows()},
            Code.TOO_MANY_WINDOWS,
        )
        return []
    horizon = now + dt.timedelta(days=horizon_days())
    out = []
    for i, (start, end) in enumerate(windows):
        if start is None or end is None or start.tzinfo is None or end.tzinfo is None:
            errors.add(f"windows.{i}", _("Give a start and an end with a time zone."), Code.INVALID)
            continue
        start, end = _minute(start), _minute(end)
        if start <= now:
            errors.add(
                f"windows.{i}.starts_at",
                _("The window must start in the future."),
                Code.DATE_IN_PAST,
            )
        elif end <= start:
            errors.add(
                f"windows.{i}.ends_at",
                _("The window must end after it starts."),
                Code.END_BEFORE_START,
            )
        elif end > horizon:
            errors.add(
                f"windows.{i}.ends_at",
                _("At most %(days)s days ahead.") % {"days": horizon_days()},
                Code.TOO_FAR_AHEAD,
            )
        elif end - start > dt.timedelta(hours=12):
            errors.add(
                f"windows.{i}.ends_at", _("A window is at most 12 hours long."), Code.OUT_OF_RANGE
            )
        else:
            out.append((start, end))
    return sorted(out)


def _ticket_for(errors: Errors, agency: Agency, actor: User, ticket_id: int) -> Ticket:
    """The ticket a visit is for: central agents and the agency's admins may use any of the
    agency's tickets, its staff only their own (someone else's is as unknown as a missing
    one). Call inside the agency's schema. A refused ticket is raised with `errors`."""
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
        errors.add("ticket", _("No such ticket."), Code.NOT_FOUND)
    elif ticket.state not in OPEN_TICKET_STATES:
        errors.add("ticket", _("The ticket is no longer open."), Code.INVALID_STATE)
    else:
        return ticket
    raise ValidationError(errors.items)


def _place(errors: Errors, agency: Agency, person: Person, data: NewVisit) -> dict[str, str]:
    """The address fields: given values, else the person's home address (home) or work
    address (office, from the people register), and the agency's county (home and office)."""
    kind = data.place_kind
    if kind not in PlaceKind.values:
        errors.add("place_kind", _("Unknown place."), Code.INVALID)
        return {}
    given = {name: getattr(data, name) or "" for name in PLACE_MAX_LENGTHS}
    if kind in (PlaceKind.HOME, PlaceKind.OFFICE):
        prefix = "" if kind == PlaceKind.HOME else "work_"
        for name in given:
            given[name] = given[name].strip() or getattr(person, prefix + name)
    place = {
        name: text(
            errors,
            name,
            given[name],
            codes=Code,
            max_length=limit,
            required=kind != PlaceKind.OFFICE and name != "postal_code",
            required_message=_("Say where the visit is."),
        )
        for name, limit in PLACE_MAX_LENGTHS.items()
    }
    county = (data.county or "").strip().upper()
    if kind in (PlaceKind.HOME, PlaceKind.OFFICE):
        county = county or (agency.county or "")
    if not county:
        errors.add("county", _("Give the county."), Code.REQUIRED)
    elif county not in COUNTIES:
        errors.add("county", _("Unknown county code."), Code.UNKNOWN_COUNTY)
    place["county"] = county
    return place


def request_visit(agency: Agency, actor: User, data: NewVisit) -> Visit:
    """Ask for a technician to come: the requester for their own ticket, the agency's admin or
    a central agent for any of the agency's tickets. The visit's requester is the ticket's."""
    now = timezone.now()
    errors = Errors()
    windows = _checked_windows(errors, data.windows, now)
    notes = text(
        errors, "notes", data.notes, codes=Code, max_length=NOTES_MAX_LENGTH, required=False
    )
    with tenant_context(agency), transaction.atomic():
        ticket = _ticket_for(errors, agency, actor, data.ticket_id)
        person = ticket.requester
        place = _place(errors, agency, person, data)
        errors.raise_if_any()
        visit = Visit.objects.create(
            ticket=ticket,
            requester=person,
            place_kind=data.place_kind,
            contact_phone=(data.contact_phone or "").strip()[:32] or person.phone,
            notes=notes,
            created_by_id=actor.pk,
            **place,
        )
        VisitWindow.objects.bulk_create(
            VisitWindow(visit=visit, starts_at=s, ends_at=e) for s, e in windows
        )
        index_visit(agency, visit, priority=ticket.priority)
    return visit


def cancel_visit(agency: Agency, actor: User, visit_id: int, reason: str = "") -> Visit:
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
            raise field_error("visit", _("No such visit."), Code.NOT_FOUND)
        if visit.state not in (VisitState.REQUESTED, VisitState.DISPATCHED):
            raise field_error(
                "visit", _("The visit can no longer be cancelled."), Code.INVALID_STATE
            )
        visit.state = VisitState.CANCELLED
        visit.reason = clean_text("reason", reason)[:500]
        visit.save(update_fields=["state", "reason"])
        dispatch.release(agency, visit.pk)
        index_visit(agency, visit)
    return visit
