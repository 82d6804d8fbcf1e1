"""Public-side writes of dispatch: a technician's booking and the monthly visit driver.

Called by `services.field.visits.actions` inside the transaction of the visit's own change (both
schemas are in one database, so one transaction covers both).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from services.field.models import Booking, Technician, VisitDriver


def lock_technician(technician_id: int) -> Technician | None:
    """The technician's row, locked until the transaction ends: dispatches of one technician
    (from any agency) run one after the other, so two cannot both see them free."""
    return (
        Technician.objects.select_for_update(of=("self",))
        .select_related("user", "calendar")
        .filter(pk=technician_id)
        .first()
    )


def book(technician: Technician, agency, visit_id: int, start: dt.datetime, end: dt.datetime):
    Booking.objects.update_or_create(
        agency=agency,
        visit_id=visit_id,
        defaults={"technician": technician, "starts_at": start, "ends_at": end},
    )


def release(agency, visit_id: int) -> None:
    Booking.objects.filter(agency=agency, visit_id=visit_id).delete()


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def count_visit(agency, month: dt.date, *, on_site: int, travel: int) -> VisitDriver:
    """Add one visit and its minutes to the agency's driver of `month`. The caller makes sure
    a visit is counted once (it records the month on the visit under the visit's lock)."""
    VisitDriver.objects.get_or_create(agency=agency, month=month)
    VisitDriver.objects.filter(agency=agency, month=month).update(
        visits=F("visits") + 1,
        minutes_on_site=F("minutes_on_site") + on_site,
        minutes_travel=F("minutes_travel") + travel,
        updated_at=timezone.now(),
    )
    return VisitDriver.objects.get(agency=agency, month=month)
