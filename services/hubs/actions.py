"""Write paths of the hubs (shared): central IT keeps the hubs and their stock of loaner and
replacement devices (in the central Django admin). Bookings have their own actions
(services/hubs/bookings/actions.py).

A hub's and a stock item's rules are their models' (field limits, choices, a hub's slot length
and capacity within range, a unique name or serial number): checked by `full_clean` before
anything is written, with the messages and codes the admin's form has always shown. Every
write is recorded in the audit log, as the catalogue's are."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.hubs.errors import HubErrorCode as Code
from services.hubs.models import Hub, StockItem
from services.validation import field_error
from tenants.models import User

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
