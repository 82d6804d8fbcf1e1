"""Small builders for cost-split tests (public rows; rolled back with each test)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from services.catalogue.models import Service
from services.costs.models import (
    AllocationKey,
    CostPool,
    DriverSnapshot,
    KeyVersion,
    KeyWeight,
    Period,
)
from tenants.models import Agency, AgencyKind, AgencyState

MONTH = dt.date(2026, 3, 1)


def service(name: str = "E-post") -> Service:
    return Service.objects.create(name=name, category="email", owner="Central IT")


def period(month: dt.date = MONTH, state: str = "open") -> Period:
    return Period.objects.create(month=month, state=state)


def key(name: str, method: str, driver_kind: str = "", valid_from: dt.date = MONTH, **extra):
    k = AllocationKey.objects.create(name=name)
    weights = extra.pop("weights", {})
    excluded = extra.pop("excluded", [])
    v = KeyVersion.objects.create(
        key=k, valid_from=valid_from, method=method, driver_kind=driver_kind, **extra
    )
    v.excluded.set(excluded)
    for agency_id, weight in weights.items():
        KeyWeight.objects.create(version=v, agency_id=agency_id, weight=Decimal(weight))
    return k


def pool(per: Period, name: str, amount: int, k: AllocationKey | None, **extra) -> CostPool:
    return CostPool.objects.create(
        period=per,
        name=name,
        category=extra.pop("category", "infrastructure"),
        amount_ore=amount,
        key=k,
        **extra,
    )


def drivers(per: Period, kind: str, values: dict[int, object], ref: int = 0) -> None:
    DriverSnapshot.objects.bulk_create(
        DriverSnapshot(period=per, agency_id=a, kind=kind, ref_id=ref, value=Decimal(str(v)))
        for a, v in values.items()
    )


def members(per: Period, agency_ids) -> None:
    drivers(per, "headcount", {a: 10 for a in agency_ids})


def bare_agencies(count: int, prefix: str = "cx") -> list[Agency]:
    """Agency rows without schemas (bulk_create skips schema creation): enough for public-only
    split tests."""
    return Agency.objects.bulk_create(
        Agency(
            name=f"{prefix} {i}",
            slug=f"{prefix}-{i}",
            schema_name=f"{prefix}_{i}",
            kind=AgencyKind.AGENCY,
            state=AgencyState.ACTIVE,
        )
        for i in range(count)
    )
