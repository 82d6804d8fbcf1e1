"""Write paths of the cost split, part 1: periods, cost pools, allocation keys, driver
snapshots and runs (finance). Statements, disputes, closing and corrections are in
`services/costs/statements.py`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from tenant_schemas_celery.task import headers_with_schema

from services.audit.actions import record_event
from services.costs.errors import CostErrorCode as Code
from services.costs.models import (
    SPLIT_DRIVERS,
    AllocationKey,
    AllocationRun,
    CostPool,
    KeyVersion,
    KeyWeight,
    Method,
    Period,
    PeriodState,
    PoolCategory,
)
from services.costs.policies import require_finance
from tenants.models import Agency


def _error(field_name: str, message: str, code: Code) -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


def first_of_month(value):
    return value.replace(day=1)


def get_period(period_id: int, field_name: str = "period", *, lock: bool = False) -> Period:
    qs = Period.objects.select_for_update() if lock else Period.objects
    period = qs.filter(pk=period_id).first()
    if period is None:
        raise _error(field_name, _("No such period."), Code.NOT_FOUND)
    return period


def require_open(period: Period, field_name: str = "period") -> None:
    if period.state == PeriodState.CLOSED:
        raise _error(field_name, _("The period is closed: it never changes."), Code.PERIOD_CLOSED)
    if period.state != PeriodState.OPEN:
        raise _error(
            field_name,
            _("The period's statements are published: its pools no longer change."),
            Code.INVALID_STATE,
        )


# --- periods ----------------------------------------------------------------------------------
@transaction.atomic
def create_period(actor, month) -> Period:
    require_finance(actor)
    month = first_of_month(month)
    if Period.objects.filter(month=month).exists():
        raise _error("month", _("This month already has a period."), Code.DUPLICATE)
    with transaction.atomic():
        period = Period.objects.create(month=month)
        record_event(actor, "costs.period.created", period, month=f"{month:%Y-%m}")
    return period


# --- pools ------------------------------------------------------------------------------------
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
    from services.catalogue.models import Service, Supplier
    from services.licences.models import LicencePool
    from services.projects.models import Project

    for field_name, model, pk in (
        ("key", AllocationKey, data.key_id),
        ("service", Service, data.service_id),
        ("supplier", Supplier, data.supplier_id),
        ("project", Project, data.project_id),
        ("licencePool", LicencePool, data.licence_pool_id),
    ):
        if pk is not None and not model.objects.filter(pk=pk).exists():
            raise _error(field_name, _("Unknown id."), Code.NOT_FOUND)


def _check_pool(data: PoolInput) -> None:
    if not data.name.strip():
        raise _error("name", _("Give the pool a name."), Code.REQUIRED)
    if data.amount_ore is None or data.amount_ore < 0:
        raise _error("amountOre", _("The amount must not be negative."), Code.NEGATIVE)
    valid = {c.value for c in PoolCategory if c != PoolCategory.CORRECTION}
    if data.category not in valid:
        raise _error(
            "category",
            _("Choose a cost category (corrections are booked with bookCorrection)."),
            Code.INVALID,
        )
    if data.key_id is None:
        raise _error("key", _("A pool needs an allocation key."), Code.REQUIRED)
    _check_refs(data)


@transaction.atomic
def create_pool(actor, period_id: int, data: PoolInput) -> CostPool:
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


def _pool_fields(data: PoolInput) -> dict:
    return {
        "name": data.name.strip(),
        "category": data.category,
        "amount_ore": data.amount_ore,
        "key_id": data.key_id,
        "service_id": data.service_id,
        "supplier_id": data.supplier_id,
        "project_id": data.project_id,
        "licence_pool_id": data.licence_pool_id,
        "source_reference": data.source_reference.strip(),
    }


def _pool(pool_id: int, *, lock: bool = True) -> CostPool:
    pool = CostPool.objects.filter(pk=pool_id).select_related("period").first()
    if pool is None:
        raise _error("pool", _("No such pool."), Code.NOT_FOUND)
    get_period(pool.period_id, lock=lock)
    require_open(pool.period)
    if pool.corrects_id is not None:
        raise _error("pool", _("A correction is not edited; book another."), Code.INVALID_STATE)
    return pool


@transaction.atomic
def update_pool(actor, pool_id: int, data: PoolInput) -> CostPool:
    require_finance(actor)
    pool = _pool(pool_id)
    _check_pool(data)
    fields = _pool_fields(data)
    diff = {
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
def delete_pool(actor, pool_id: int) -> int:
    """Remove a pool of an open period with the lines of its last run (run again after)."""
    require_finance(actor)
    pool = _pool(pool_id)
    pool.lines.all().delete()
    record_event(actor, "costs.pool.deleted", pool, period=pool.period_id)
    pool.delete()
    return pool_id


# --- keys -------------------------------------------------------------------------------------
@transaction.atomic
def create_key(actor, name: str, description: str = "") -> AllocationKey:
    require_finance(actor)
    name = name.strip()
    if not name:
        raise _error("name", _("Give the key a name."), Code.REQUIRED)
    if AllocationKey.objects.filter(name=name).exists():
        raise _error("name", _("A key with this name exists."), Code.DUPLICATE)
    key = AllocationKey.objects.create(name=name, description=description.strip())
    record_event(actor, "costs.key.created", key)
    return key


@dataclass
class VersionInput:
    valid_from: object  # date
    method: str
    driver_kind: str = ""
    only_subscribers: bool = False
    excluded_agency_ids: list[int] = field(default_factory=list)
    weights: list[tuple[int, object]] = field(default_factory=list)  # (agency id, weight)


def _members(ids) -> set[int]:
    return set(Agency.objects.members().filter(pk__in=list(ids)).values_list("pk", flat=True))


def _check_weights(weights) -> list[tuple[int, Decimal]]:
    if not weights:
        raise _error("weights", _("Fixed weights need at least one agency."), Code.REQUIRED)
    out = []
    for i, (agency_id, raw) in enumerate(weights):
        try:
            weight = Decimal(str(raw))
        except (InvalidOperation, ValueError) as exc:
            raise _error(f"weights.{i}.weight", _("Not a number."), Code.INVALID) from exc
        if not weight.is_finite() or weight < 0:
            raise _error(f"weights.{i}.weight", _("A weight must not be negative."), Code.NEGATIVE)
        if weight != weight.quantize(Decimal("0.0001")) or weight >= Decimal(10) ** 10:
            raise _error(
                f"weights.{i}.weight",
                _("At most 10 digits before and 4 after the decimal point."),
                Code.INVALID,
            )
        out.append((agency_id, weight))
    ids = [a for a, _w in out]
    if len(set(ids)) != len(ids):
        raise _error("weights", _("An agency is listed twice."), Code.DUPLICATE)
    unknown = set(ids) - _members(ids)
    if unknown:
        raise _error("weights", _("Unknown agency in the weights."), Code.UNKNOWN_AGENCY)
    if all(w == 0 for _a, w in out):
        raise _error("weights", _("The weights are all zero."), Code.WEIGHTS_ZERO)
    return out


def _check_version(data: VersionInput) -> list[tuple[int, Decimal]]:
    if data.method not in Method.values:
        raise _error("method", _("Choose a method."), Code.INVALID)
    if data.method == Method.DRIVER:
        if not data.driver_kind:
            raise _error("driverKind", _("Choose the driver."), Code.REQUIRED)
        if data.driver_kind not in SPLIT_DRIVERS:
            raise _error("driverKind", _("Not a driver to split by."), Code.INVALID)
    elif data.driver_kind:
        raise _error("driverKind", _("Only the driver method takes a driver."), Code.INVALID)
    weights = _check_weights(data.weights) if data.method == Method.FIXED else []
    if data.weights and data.method != Method.FIXED:
        raise _error("weights", _("Only the fixed method takes weights."), Code.INVALID)
    excluded = set(data.excluded_agency_ids)
    if excluded - _members(excluded):
        raise _error("excludedAgencies", _("Unknown agency."), Code.UNKNOWN_AGENCY)
    return weights


@transaction.atomic
def add_key_version(actor, key_id: int, data: VersionInput) -> KeyVersion:
    """A new version of a key from a month on. Versions are never edited: a month already
    closed keeps the version it was split with, so a new one must start after the last
    closed period."""
    require_finance(actor)
    key = AllocationKey.objects.select_for_update().filter(pk=key_id).first()
    if key is None:
        raise _error("key", _("No such key."), Code.NOT_FOUND)
    valid_from = first_of_month(data.valid_from)
    if Period.objects.filter(state=PeriodState.CLOSED, month__gte=valid_from).exists():
        raise _error(
            "validFrom",
            _("That month is in (or before) a closed period; start after it."),
            Code.PERIOD_CLOSED,
        )
    if key.versions.filter(valid_from=valid_from).exists():
        raise _error("validFrom", _("The key has a version from that month."), Code.DUPLICATE)
    weights = _check_version(data)
    version = KeyVersion.objects.create(
        key=key,
        valid_from=valid_from,
        method=data.method,
        driver_kind=data.driver_kind if data.method == Method.DRIVER else "",
        only_subscribers=data.only_subscribers,
    )
    version.excluded.set(sorted(set(data.excluded_agency_ids)))
    KeyWeight.objects.bulk_create(
        KeyWeight(version=version, agency_id=a, weight=w) for a, w in weights
    )
    record_event(
        actor,
        "costs.key.version_added",
        key,
        version=version.pk,
        valid_from=f"{valid_from:%Y-%m}",
        method=data.method,
    )
    return version


# --- drivers and runs -------------------------------------------------------------------------
@transaction.atomic
def request_driver_snapshot(actor, period_id: int) -> int:
    """Queue the fan-out (one task per agency). Returns how many agencies it will cover."""
    from services.costs import drivers, tasks

    require_finance(actor)
    period = get_period(period_id)
    require_open(period)
    record_event(actor, "costs.drivers.snapshot_requested", period)
    headers = headers_with_schema({})
    transaction.on_commit(lambda: tasks.snapshot_drivers.apply_async((period.pk,), headers=headers))
    return drivers.agencies_to_snapshot().count()


@transaction.atomic
def request_run(actor, period_id: int) -> AllocationRun:
    """Queue an allocation run of an open period; the caller polls the run."""
    from services.costs import tasks

    require_finance(actor)
    period = get_period(period_id)
    require_open(period)
    try:
        run = AllocationRun.objects.create(
            period=period, requested_by=actor, task_id=str(uuid.uuid4())
        )
    except IntegrityError as exc:  # pragma: no cover - closed in between: the trigger
        raise _error("period", _("The period is closed."), Code.PERIOD_CLOSED) from exc
    record_event(actor, "costs.run.requested", run, period=period.pk)
    headers = headers_with_schema({})
    transaction.on_commit(
        lambda: tasks.run_allocation.apply_async((run.pk,), task_id=run.task_id, headers=headers)
    )
    return run
