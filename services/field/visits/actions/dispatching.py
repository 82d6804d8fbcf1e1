"""Dispatch: which technicians can take a visit, and booking one of them for one of its
windows."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.field import actions as dispatch
from services.field import availability
from services.field import policies as dispatching
from services.field.visits import notify
from services.field.visits.actions.rows import future_windows, index_visit, lock_visit
from services.field.visits.errors import VisitErrorCode as Code
from services.field.visits.models import Visit, VisitState
from services.support.models import Ticket
from services.validation import field_error
from tenants.models import Agency, User
from tenants.viewer import Viewer


def suggest_technicians(agency: Agency, visit: Visit) -> list[availability.Suggestion]:
    """Technicians who cover the visit's county and are free in at least one of its future
    windows, nearest first. The caller checks that the reader may dispatch."""
    with tenant_context(agency):
        windows = [(w.starts_at, w.ends_at) for w in future_windows(visit, timezone.now())]
    return availability.suggest(visit.county, windows, exclude=(agency.pk, visit.pk))


def dispatch_visit(
    agency: Agency, actor: User, visit_id: int, *, technician_id: int, window_id: int
) -> Visit:
    """Book a technician for one of the visit's windows and tell the requester. The
    technician's row is locked while their bookings are checked, so two dispatchers cannot
    book one technician twice, whichever agencies the visits belong to."""
    if not dispatching.dispatches_anywhere(Viewer.of(actor)):
        raise PermissionDenied(_("Only the service desk dispatches visits."))
    with tenant_context(agency), transaction.atomic():
        visit = lock_visit(visit_id)
        if visit.state != VisitState.REQUESTED:
            raise field_error(
                "visit", _("Only a requested visit is dispatched."), Code.INVALID_STATE
            )
        window = visit.windows.filter(pk=window_id).first()
        if window is None:
            raise field_error("window", _("Not one of the visit's windows."), Code.NOT_FOUND)
        if window.starts_at <= timezone.now():
            raise field_error("window", _("The window has begun or passed."), Code.DATE_IN_PAST)
        tech = dispatch.lock_technician(technician_id)
        if tech is None or not dispatching.works_as_technician(Viewer.of(tech.user)):
            raise field_error("technician", _("No such technician."), Code.NOT_FOUND)
        if visit.county not in tech.counties:
            raise field_error(
                "technician", _("The technician does not cover this county."), Code.NOT_COVERED
            )
        why = availability.is_free(
            tech, window.starts_at, window.ends_at, exclude=(agency.pk, visit.pk)
        )
        if why == "hours":
            raise field_error(
                "window", _("Outside the technician's working hours."), Code.OUTSIDE_HOURS
            )
        if why == "busy":
            raise field_error(
                "technician",
                _("The technician is booked for another visit then."),
                Code.TECHNICIAN_BUSY,
            )
        if why:
            raise field_error("technician", _("The technician is not active."), Code.INVALID)
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
