"""Cost pools (finance): what central IT spent on one thing in one open period, with the key
that splits it. A correction pool is booked by `book_correction`, never edited here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue.models import Service, Supplier
from services.costs.actions.periods import get_period, require_open
from services.costs.errors import CostErrorCode as Code
from services.costs.models import AllocationKey, CostPool, PoolCategory
from services.costs.policies import require_finance
from services.licences.models import LicencePool
from services.projects.models import Project
from services.validation import cleaned, field_error, visible
from tenants.models import User


@dataclass
class PoolInput:
    name: str
    category: str
    amount_ore: int
    key_id: int | None
    service_id: int | None = None
    supplier_id: int | None = None
    project_id: int | None = None
    licence_pool_id: int | None = None
    source_reference: str = ""


def _check_refs(data: PoolInput) -> None:
    refs: tuple[tuple[str, type[models.Model], int | None], ...] = (
        ("key", AllocationKey, data.key_id),
        ("service", Service, data.service_id),
        ("supplier", Supplier, data.supplier_id),
        ("project", Project, data.project_id),
        ("licencePool", LicencePool, data.licence_pool_id),
    )
    for field_name, model, pk in refs:
        if pk is not None and not model._default_manager.filter(pk=pk).exists():
            raise field_error(field_name, _("Unknown id."), Code.NOT_FOUND)


def _check_pool(data: PoolInput) -> None:
    if not visible(data.name).strip():
        raise field_error("name", _("Give the pool a name."), Code.REQUIRED)
    if data.amount_ore is None or data.amount_ore < 0:
        raise field_error("amountOre", _("The amount must not be negative."), Code.NEGATIVE)
    valid = {c.value for c in PoolCategory if c != PoolCategory.CORRECTION}
    if data.category not in valid:
        raise field_error(
            "category",
            _("Choose a cost category (corrections are booked with bookCorrection)."),
            Code.INVALID,
        )
    if data.key_id is None:
        raise field_error("key", _("A pool needs an allocation key."), Code.REQUIRED)
    _check_refs(data)


def _pool_fields(data: PoolInput) -> dict[str, Any]:
    return {
        "name": cleaned("name", data.name).strip(),
        "category": data.category,
        "amount_ore": data.amount_ore,
        "key_id": data.key_id,
        "service_id": data.service_id,
        "supplier_id": data.supplier_id,
        "project_id": data.project_id,
        "licence_pool_id": data.licence_pool_id,
        "source_reference": cleaned("sourceReference", data.source_reference).strip(),
    }


@transaction.atomic
def create_pool(actor: User | None, period_id: int, data: PoolInput) -> CostPool:
    require_finance(actor)
    period = get_period(period_id, lock=True)
    require_open(period)
    _check_pool(data)
    with transaction.atomic():
        pool = CostPool.objects.create(period=period, **_pool_fields(data))
        record_event(
            actor, "costs.pool.created", pool, period=period.pk, amount_ore=pool.amount_ore
        )
    return pool


def _editable_pool(pool_id: int, *, lock: bool = True) -> CostPool:
    pool = CostPool.objects.filter(pk=pool_id).select_related("period").first()
    if pool is None:
        raise field_error("pool", _("No such pool."), Code.NOT_FOUND)
    get_period(pool.period_id, lock=lock)
    require_open(pool.period)
    if pool.corrects_id is not None:
        raise field_error(
            "pool", _("A correction is not edited; book another."), Code.INVALID_STATE
        )
    return pool


@transaction.atomic
def update_pool(actor: User | None, pool_id: int, data: PoolInput) -> CostPool:
    require_finance(actor)
    pool = _editable_pool(pool_id)
    _check_pool(data)
    fields = _pool_fields(data)
    diff: dict[str, Any] = {
        name: [getattr(pool, name), value]
        for name, value in fields.items()
        if getattr(pool, name) != value
    }
    for name, value in fields.items():
        setattr(pool, name, value)
    pool.save()
    record_event(actor, "costs.pool.updated", pool, **diff)
    return pool


@transaction.atomic
def delete_pool(actor: User | None, pool_id: int) -> int:
    """Remove a pool of an open period with the lines of its last run (run again after)."""
    require_finance(actor)
    pool = _editable_pool(pool_id)
    pool.lines.all().delete()
    record_event(actor, "costs.pool.deleted", pool, period=pool.period_id)
    pool.delete()
    return pool_id
