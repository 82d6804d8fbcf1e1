"""Write paths of the hubs (shared): central IT keeps the hubs and their stock of loaner and
replacement devices (in the central Django admin). Bookings have their own actions
(services/hubs/bookings/actions.py). Hub staff lend loaners and take them back (below; the
loan itself is in the agency's schema: services/devices/loans.py).

A hub's and a stock item's rules are their models' (field limits, choices, a hub's slot length
and capacity within range, a unique name or serial number): checked by `full_clean` before
anything is written, with the messages and codes the admin's form has always shown. Every
write is recorded in the audit log, as the catalogue's are."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.devices import interface as devices
from services.hubs.errors import HubErrorCode as Code
from services.hubs.models import Hub, StockItem, StockKind, StockState
from services.validation import Errors, a_date, field_error
from tenants.models import Agency, User

HUB_FIELDS = (
    "name",
    "county",
    "street_address",
    "postal_code",
    "city",
    "calendar",
    "slot_minutes",
    "capacity",
    "services",
    "is_active",
)
STOCK_FIELDS = ("hub", "serial_number", "model", "kind", "state", "agency")

RowT = TypeVar("RowT", Hub, StockItem)


def _check_keys(values: dict[str, Any], fields: tuple[str, ...]) -> None:
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(unknown)}")


def _assign(row: models.Model, values: dict[str, Any]) -> None:
    """Set the given values; a related row is given by its primary key."""
    for name, value in values.items():
        field = row._meta.get_field(name)
        assert isinstance(field, models.Field)  # a concrete field, never a reverse relation
        setattr(row, field.attname, value)


def _clean(row: models.Model, values: dict[str, Any]) -> None:
    """The model's own rules, for the fields given (all of them when creating)."""
    _assign(row, values)
    row.full_clean(exclude=[f.name for f in row._meta.fields if f.name not in values])


def _fetch(model: type[RowT], pk: int, field: str, *, lock: bool = False) -> RowT:
    rows = model.objects.select_for_update() if lock else model.objects.all()
    row = rows.filter(pk=pk).first()
    if row is None:
        message = _("No such %(thing)s.") % {"thing": model._meta.verbose_name}
        raise field_error(field, message, Code.NOT_FOUND)
    return row


@transaction.atomic
def _create(
    actor: User | None,
    model: type[RowT],
    fields: tuple[str, ...],
    values: dict[str, Any],
    event: str,
) -> RowT:
    _check_keys(values, fields)
    row = model()
    _assign(row, values)
    row.full_clean()
    row.save()
    record_event(actor, event, row, fields=sorted(values), via="admin")
    return row


@transaction.atomic
def _update(
    actor: User | None,
    model: type[RowT],
    fields: tuple[str, ...],
    pk: int,
    field: str,
    values: dict[str, Any],
    event: str,
) -> RowT:
    _check_keys(values, fields)
    row = _fetch(model, pk, field, lock=True)
    _clean(row, values)
    row.save()
    record_event(actor, event, row, fields=sorted(values), via="admin")
    return row


@transaction.atomic
def _delete(actor: User | None, model: type[RowT], pk: int, field: str, event: str) -> None:
    row = _fetch(model, pk, field, lock=True)
    record_event(actor, event, row, name=str(row), via="admin")
    row.delete()


# --- hubs ------------------------------------------------------------------------------------


def validate_hub(values: dict[str, Any], hub: Hub | None = None) -> None:
    """The rules `create_hub` and `update_hub` apply to `values`, for the admin's form."""
    _check_keys(values, HUB_FIELDS)
    row = Hub() if hub is None else _fetch(Hub, hub.pk, "hub")
    _clean(row, values)


def create_hub(actor: User | None, **values: Any) -> Hub:
    """A new hub. Fields: HUB_FIELDS (the calendar by its primary key)."""
    return _create(actor, Hub, HUB_FIELDS, values, "hubs.hub.created")


def update_hub(actor: User | None, hub_id: int, **values: Any) -> Hub:
    """Change the given fields of a hub."""
    return _update(actor, Hub, HUB_FIELDS, hub_id, "hub", values, "hubs.hub.updated")


def delete_hub(actor: User | None, hub_id: int) -> None:
    """Remove a hub (refused by the database while it keeps stock)."""
    _delete(actor, Hub, hub_id, "hub", "hubs.hub.deleted")


# --- stock -----------------------------------------------------------------------------------


def validate_stock_item(values: dict[str, Any], item: StockItem | None = None) -> None:
    """The rules `create_stock_item` and `update_stock_item` apply to `values` (a new hub's
    stock is checked without its hub), for the admin's forms."""
    _check_keys(values, STOCK_FIELDS)
    row = StockItem() if item is None else _fetch(StockItem, item.pk, "stock_item")
    _clean(row, values)


def create_stock_item(actor: User | None, **values: Any) -> StockItem:
    """A device of central IT kept at a hub. Fields: STOCK_FIELDS (the hub and the agency by
    their primary keys)."""
    return _create(actor, StockItem, STOCK_FIELDS, values, "hubs.stock.created")


def update_stock_item(actor: User | None, item_id: int, **values: Any) -> StockItem:
    """Change the given fields of a stock item."""
    return _update(
        actor, StockItem, STOCK_FIELDS, item_id, "stock_item", values, "hubs.stock.updated"
    )


def delete_stock_item(actor: User | None, item_id: int) -> None:
    _delete(actor, StockItem, item_id, "stock_item", "hubs.stock.deleted")


# --- Loaners (docs/decisions/2026-12-07-loaners.md) -------------------------------------------
def max_loan_days() -> int:
    """How long a loan may be (SAMNAV_LOAN_MAX_DAYS, 90 by default)."""
    return int(getattr(settings, "SAMNAV_LOAN_MAX_DAYS", 90))


def _locked_loaner(stock_item_id: int) -> StockItem:
    item = (
        StockItem.objects.select_for_update(of=("self",))
        .filter(pk=stock_item_id, kind=StockKind.LOANER)
        .first()
    )
    if item is None:
        raise field_error("stock_item", _("No such loaner."), Code.NOT_FOUND)
    return item


def lend_loaner(
    agency: Agency,
    actor: User,
    stock_item_id: int,
    *,
    person_id: int,
    expected_return: dt.date | None,
) -> devices.Loan:
    """Lend an available loaner of a hub to a person of `agency` (an active member) until
    `expected_return` (from today to SAMNAV_LOAN_MAX_DAYS ahead). The stock item says which
    agency has it until when; the loan, with the person, and the hand-over hub -> person are in
    the agency's schema. One transaction."""
    devices.require_lender(actor)
    errors = Errors()
    if not agency.is_member or not agency.is_usable:
        errors.add("agency", _("The agency is not active."), Code.INVALID_STATE)
    due = a_date(errors, "expected_return", expected_return, codes=Code)
    today = timezone.localdate()
    if due is not None and not today <= due <= today + dt.timedelta(days=max_loan_days()):
        errors.add(
            "expected_return",
            _("Give a date from today to %(days)s days ahead.") % {"days": max_loan_days()},
            Code.OUT_OF_RANGE,
        )
    with transaction.atomic():
        item = _locked_loaner(stock_item_id)
        if item.state != StockState.AVAILABLE:
            errors.add("stock_item", _("The loaner is not available."), Code.INVALID_STATE)
        if "agency" not in errors and not devices.borrower_exists(agency, person_id):
            errors.add("person", _("No such person in the agency."), Code.NOT_FOUND)
        errors.raise_if_any()
        assert due is not None  # refused above otherwise
        loan = devices.open_loan(
            agency,
            actor,
            stock_item_id=item.pk,
            serial_number=item.serial_number,
            model=item.model,
            hub_id=item.hub_id,
            person_id=person_id,
            expected_return=due,
        )
        item.state, item.agency, item.due_back_on = StockState.LENT, agency, due
        item.save(update_fields=["state", "agency", "due_back_on"])
    return loan


def return_loaner(actor: User, stock_item_id: int) -> devices.Loan:
    """A lent loaner comes back to its hub: the open loan of the agency that has it ends, the
    device goes to the hub, and the stock item is available again. One transaction."""
    devices.require_lender(actor)
    with transaction.atomic():
        item = _locked_loaner(stock_item_id)
        agency = item.agency
        if item.state != StockState.LENT or agency is None:
            raise field_error("stock_item", _("The loaner is not lent."), Code.INVALID_STATE)
        loan = devices.close_loan(agency, actor, stock_item_id=item.pk, hub_id=item.hub_id)
        item.state, item.agency, item.due_back_on = StockState.AVAILABLE, None, None
        item.save(update_fields=["state", "agency", "due_back_on"])
    return loan
