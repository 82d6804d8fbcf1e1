"""The technician's part of a visit: arriving, and finishing it done or not completed (with
the minutes travelled and on site, counted in the agency's visit driver)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.field import actions as dispatch
from services.field.visits import policies
from services.field.visits.actions.rows import index_visit, lock_visit
from services.field.visits.errors import VisitErrorCode as Code
from services.field.visits.models import Visit, VisitState
from services.validation import Errors, field_error, text, whole_number
from tenants.models import Agency, User
from tenants.viewer import Viewer

MAX_MINUTES = 24 * 60
REASON_MAX_LENGTH = 500


def _may_work_on(actor: User, visit: Visit) -> None:
    """The assigned technician, or a platform admin."""
    if not policies.works_on(Viewer.of(actor), visit):
        raise PermissionDenied(_("This is not your visit."))


def _within_arrival_window(visit: Visit, now: dt.datetime) -> None:
    """Arrival (which shows the address, phone and notes) only from SAMNAV_ARRIVAL_EARLY_MINUTES
    before the booked start until the booked end (docs/decisions/2026-12-07-arrival-window.md)."""
    window = visit.arrival_window()
    if window is None or not window[0] <= now <= window[1]:
        opens, closes = window or (now, now)
        raise field_error(
            "visit",
            _("You can mark your arrival from %(opens)s until %(closes)s (the booked visit).")
            % {
                "opens": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M"),
                "closes": timezone.localtime(closes).strftime("%Y-%m-%d %H:%M"),
            },
            Code.OUTSIDE_ARRIVAL_WINDOW,
        )


def mark_arrived(agency: Agency, actor: User, visit_id: int) -> Visit:
    with tenant_context(agency), transaction.atomic():
        visit = lock_visit(visit_id)
        _may_work_on(actor, visit)
        if visit.state != VisitState.DISPATCHED:
            raise field_error("visit", _("Only a dispatched visit can start."), Code.INVALID_STATE)
        now = timezone.now()
        _within_arrival_window(visit, now)
        visit.state = VisitState.ARRIVED
        visit.arrived_at = now
        visit.save(update_fields=["state", "arrived_at"])
        index_visit(agency, visit)
    return visit


def _minutes(errors: Errors, name: str, value: object, *, required: bool) -> int | None:
    if value is None:
        if required:
            errors.add(name, _("Give the minutes."), Code.REQUIRED)
        return None
    return whole_number(
        errors,
        name,
        value,
        codes=Code,
        low=0,
        high=MAX_MINUTES,
        message=_("Between 0 and %(max)s minutes.") % {"max": MAX_MINUTES},
    )


def complete_visit(
    agency: Agency,
    actor: User,
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
    errors = Errors()
    travel = _minutes(errors, "travel_minutes", travel_minutes, required=True)
    on_site = _minutes(errors, "on_site_minutes", on_site_minutes, required=False)
    reason = text(
        errors,
        "reason",
        reason,
        codes=Code,
        max_length=REASON_MAX_LENGTH,
        required=not done,
        required_message=_("Say why it could not be done."),
    )
    with tenant_context(agency), transaction.atomic():
        visit = lock_visit(visit_id)
        _may_work_on(actor, visit)
        allowed = (VisitState.ARRIVED,) if done else (VisitState.ARRIVED, VisitState.DISPATCHED)
        if visit.state not in allowed:
            raise field_error(
                "visit",
                _("Mark your arrival first.")
                if done and visit.state == VisitState.DISPATCHED
                else _("The visit is not under way."),
                Code.INVALID_STATE,
            )
        errors.raise_if_any()
        assert travel is not None  # required: refused above when missing
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
