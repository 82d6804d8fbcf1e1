"""Public-side writes of dispatch: technicians (added and changed in the central admin), a
technician's booking and the monthly visit driver.

The bookings and drivers are written by `services.field.visits.actions` inside the transaction
of the visit's own change (both schemas are in one database, so one transaction covers both).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from services.calendars.models import BusinessCalendar
from services.field import policies
from services.field.errors import DispatchErrorCode as Code
from services.field.models import Booking, Technician, VisitDriver
from services.validation import Errors, field_error
from tenants import access
from tenants.counties import COUNTIES
from tenants.models import Agency, User
from tenants.viewer import Viewer

TECHNICIAN_FIELDS = ("user", "home_county", "calendar", "counties", "is_active")


def _clean_user(errors: Errors, ref: int | None, technician: Technician | None) -> User | None:
    user = User.objects.filter(pk=ref).first() if ref is not None else None
    if ref is None:
        errors.add("user", _("This field is required."), Code.REQUIRED)
    elif user is None:
        errors.add("user", _("Unknown id."), Code.NOT_FOUND)
    else:
        access.forget(user)  # a role granted a moment ago counts
        taken = Technician.objects.filter(user=user)
        if technician is not None:
            taken = taken.exclude(pk=technician.pk)
        if not policies.works_as_technician(Viewer.of(user)):
            errors.add("user", _("The identity needs the technician role."), Code.INVALID)
        elif taken.exists():
            unique = Technician(user=user).unique_error_message(Technician, ("user",))
            errors.add("user", unique.messages[0], Code.DUPLICATE)
    return user


def _clean_technician(values: dict[str, Any], technician: Technician | None) -> dict[str, Any]:
    """The technician's fields from `values` (primary keys for the identity and calendar),
    every error raised together."""
    errors = Errors()
    user = _clean_user(errors, values.get("user"), technician)
    home = values.get("home_county") or ""
    if not home:
        errors.add("home_county", _("This field is required."), Code.REQUIRED)
    elif home not in COUNTIES:
        errors.add("home_county", _("Unknown county code."), Code.UNKNOWN_COUNTY)
    ref = values.get("calendar")
    calendar = BusinessCalendar.objects.filter(pk=ref).first() if ref is not None else None
    if ref is None:
        errors.add("calendar", _("This field is required."), Code.REQUIRED)
    elif calendar is None:
        errors.add("calendar", _("Unknown id."), Code.NOT_FOUND)
    counties = sorted(set(values.get("counties") or ()))
    unknown = [code for code in counties if code not in COUNTIES]
    if unknown:
        errors.add(
            "counties",
            _("Unknown county codes: %(codes)s.") % {"codes": ", ".join(unknown)},
            Code.UNKNOWN_COUNTY,
        )
    errors.raise_if_any()
    return {
        "user": user,
        "home_county": home,
        "calendar": calendar,
        "counties": counties,
        "is_active": bool(values.get("is_active", True)),
    }


def validate_technician(values: dict[str, Any], technician: Technician | None = None) -> None:
    """The rules of `create_technician` and `update_technician`, checked without writing: the
    identity holds the technician role and has no other technician profile, the counties are
    known, the calendar exists."""
    _clean_technician(values, technician)


def create_technician(actor: User | None, **values: Any) -> Technician:
    """A technician profile (`TECHNICIAN_FIELDS`). Who may add one is the caller's check (the
    admin's permissions); `actor=None` is the system itself."""
    clean = _clean_technician(values, None)
    return Technician.objects.create(**clean)


@transaction.atomic
def update_technician(actor: User | None, technician_id: int, **values: Any) -> Technician:
    """Change a technician profile (all of `TECHNICIAN_FIELDS`)."""
    technician = lock_technician(technician_id)
    if technician is None:
        raise field_error("technician", _("No such technician."), Code.NOT_FOUND)
    for name, value in _clean_technician(values, technician).items():
        setattr(technician, name, value)
    technician.save(update_fields=list(TECHNICIAN_FIELDS))
    return technician


def delete_technician(actor: User | None, technician_id: int) -> None:
    """Remove a technician profile and its bookings (the identity stays)."""
    Technician.objects.filter(pk=technician_id).delete()


def lock_technician(technician_id: int) -> Technician | None:
    """The technician's row, locked until the transaction ends: dispatches of one technician
    (from any agency) run one after the other, so two cannot both see them free."""
    return (
        Technician.objects.select_for_update(of=("self",))
        .select_related("user", "calendar")
        .filter(pk=technician_id)
        .first()
    )


def book(
    technician: Technician, agency: Agency, visit_id: int, start: dt.datetime, end: dt.datetime
) -> Booking:
    booking, _created = Booking.objects.update_or_create(
        agency=agency,
        visit_id=visit_id,
        defaults={"technician": technician, "starts_at": start, "ends_at": end},
    )
    return booking


def release(agency: Agency, visit_id: int) -> None:
    Booking.objects.filter(agency=agency, visit_id=visit_id).delete()


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def count_visit(agency: Agency, month: dt.date, *, on_site: int, travel: int) -> VisitDriver:
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
