"""Write paths of the business calendars: central IT keeps them (in the central Django admin),
with their opening hours and closures.

The rules are the models' (a known time zone and holiday country, the eves' rules, opening
before closing, one opening per weekday, a closure's times differ): checked by `full_clean`
before anything is written, with the messages and codes the admin's form has always shown.
Every write is recorded in the audit log; `via` names the channel ("admin")."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.calendars.models import BusinessCalendar, Closure, OpeningHours
from services.validation import field_error
from tenants.models import User

CALENDAR_FIELDS = ("name", "time_zone", "holiday_country", "close_on_eves", "half_day_closes_at")
OPENING_HOURS_FIELDS = ("weekday", "opens_at", "closes_at")
CLOSURE_FIELDS = ("date", "agency", "closes_at", "opens_at", "reason")

RowT = TypeVar("RowT", BusinessCalendar, OpeningHours, Closure)


def _via(via: str) -> dict[str, Any]:
    return {"via": via} if via else {}


def _event(row: models.Model, what: str) -> str:
    """The audit action: calendars.calendar.*, calendars.openinghours.*, calendars.closure.*"""
    name = "calendar" if isinstance(row, BusinessCalendar) else row._meta.model_name
    return f"calendars.{name}.{what}"


def _fetch(model: type[RowT], pk: int) -> RowT:
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        message = _("No such %(thing)s.") % {"thing": model._meta.verbose_name}
        raise field_error(model._meta.model_name or "row", message, "not_found")
    return row


def _attname(row: models.Model, name: str) -> str:
    field = row._meta.get_field(name)
    assert isinstance(field, models.Field)  # a concrete field, never a reverse relation
    return field.attname


def _write(row: models.Model, values: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    """Set `values` (a related row by its primary key), check the model's rules and save;
    returns the fields that changed."""
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(unknown)}")
    before = {name: getattr(row, _attname(row, name)) for name in fields}
    for name, value in values.items():
        setattr(row, _attname(row, name), value)
    row.full_clean()
    row.save()
    return sorted(name for name in fields if getattr(row, _attname(row, name)) != before[name])


def _delete(actor: User | None, model: type[RowT], pk: int, via: str) -> None:
    row = _fetch(model, pk)
    record_event(actor, _event(row, "deleted"), row, **_via(via))
    row.delete()


# --- calendars -------------------------------------------------------------------------------


@transaction.atomic
def create_calendar(actor: User | None, *, via: str = "", **values: Any) -> BusinessCalendar:
    """A new calendar. Fields: CALENDAR_FIELDS (`close_on_eves` maps an eve to its rule)."""
    calendar = BusinessCalendar()
    changed = _write(calendar, values, CALENDAR_FIELDS)
    record_event(actor, _event(calendar, "created"), calendar, **_via(via), fields=changed)
    return calendar


@transaction.atomic
def update_calendar(
    actor: User | None, calendar_id: int, *, via: str = "", **values: Any
) -> BusinessCalendar:
    """Change the given fields of a calendar."""
    calendar = _fetch(BusinessCalendar, calendar_id)
    changed = _write(calendar, values, CALENDAR_FIELDS)
    record_event(actor, _event(calendar, "updated"), calendar, **_via(via), fields=changed)
    return calendar


@transaction.atomic
def delete_calendar(actor: User | None, calendar_id: int, *, via: str = "") -> None:
    """Remove a calendar with its hours and closures (refused while a hub or an agreement
    keeps it)."""
    _delete(actor, BusinessCalendar, calendar_id, via)


# --- opening hours and closures --------------------------------------------------------------


@transaction.atomic
def add_opening_hours(
    actor: User | None, calendar_id: int, *, via: str = "", **values: Any
) -> OpeningHours:
    """A weekday's opening hours. Fields: OPENING_HOURS_FIELDS."""
    row = OpeningHours(calendar=_fetch(BusinessCalendar, calendar_id))
    _write(row, values, OPENING_HOURS_FIELDS)
    record_event(actor, _event(row, "created"), row, **_via(via))
    return row


@transaction.atomic
def update_opening_hours(
    actor: User | None, row_id: int, *, via: str = "", **values: Any
) -> OpeningHours:
    row = _fetch(OpeningHours, row_id)
    _write(row, values, OPENING_HOURS_FIELDS)
    record_event(actor, _event(row, "updated"), row, **_via(via))
    return row


@transaction.atomic
def remove_opening_hours(actor: User | None, row_id: int, *, via: str = "") -> None:
    _delete(actor, OpeningHours, row_id, via)


@transaction.atomic
def add_closure(actor: User | None, calendar_id: int, *, via: str = "", **values: Any) -> Closure:
    """A closure of the calendar. Fields: CLOSURE_FIELDS (the agency by its primary key; none:
    closed for every agency)."""
    row = Closure(calendar=_fetch(BusinessCalendar, calendar_id))
    _write(row, values, CLOSURE_FIELDS)
    record_event(actor, _event(row, "created"), row, **_via(via))
    return row


@transaction.atomic
def update_closure(actor: User | None, row_id: int, *, via: str = "", **values: Any) -> Closure:
    row = _fetch(Closure, row_id)
    _write(row, values, CLOSURE_FIELDS)
    record_event(actor, _event(row, "updated"), row, **_via(via))
    return row


@transaction.atomic
def remove_closure(actor: User | None, row_id: int, *, via: str = "") -> None:
    _delete(actor, Closure, row_id, via)
