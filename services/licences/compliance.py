"""The compliance position of a licence pool, and of one agency in it.

Everything here is read from public: the seat counters of AgencyQuota (kept in the same
transaction as every seat change) and, for seats *used*, the per-agency counts that the latest
usage import stored (UsageCount). No function loops over agency schemas. A list of pools gets
its positions in its own query through `with_pool_position` / `with_agency_position`
(correlated subqueries), so a list costs the same for one pool as for a hundred.

"Used" is as of the latest usage import (a seat counts as used when the vendor reported a use
within `unused_days` days of that import); with no import yet, `used` and `assigned_unused`
are None: unknown, not zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import IntegerField, Manager, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from services.licences.models import AgencyQuota, LicencePool, UsageCount, UsageImport
from tenants.models import Agency

DEFAULT_UNUSED_DAYS = 60


def unused_days_setting() -> int:
    """N: a seat not used for N days is a candidate to reclaim (SAMNAV_LICENCE_UNUSED_DAYS)."""
    return int(getattr(settings, "SAMNAV_LICENCE_UNUSED_DAYS", DEFAULT_UNUSED_DAYS))


@dataclass(frozen=True)
class PoolPosition:
    pool_id: int
    owned: int  # seats in the agreement
    capacity: int  # owned plus the allowed true-up
    quotas: int  # seats given out as agency quotas
    reserve: int  # owned seats not given out as quotas
    held: int  # seats agencies have ordered
    assigned: int  # held seats handed to people
    used: int | None  # assigned seats used lately (latest import); None without an import
    assigned_unused: int | None  # assigned seats unused for `unused_days` (latest import)
    unused_days: int | None
    usage_imported_at: dt.datetime | None

    @property
    def over_or_under(self) -> int:
        """Seats owned minus seats held: negative when the federation is over (in true-up)."""
        return self.owned - self.held

    @property
    def true_up_in_use(self) -> int:
        return max(0, self.held - self.owned)


@dataclass(frozen=True)
class AgencyPosition:
    pool_id: int
    agency_id: int
    quota: int
    held: int
    assigned: int
    used: int | None
    assigned_unused: int | None
    unused_days: int | None
    usage_imported_at: dt.datetime | None

    @property
    def over_quota(self) -> int:
        return max(0, self.held - self.quota)

    @property
    def under_quota(self) -> int:
        return max(0, self.quota - self.held)


def _ids(pools: Iterable[LicencePool | int]) -> list[int]:
    return [p if isinstance(p, int) else p.pk for p in pools]


def _sum(queryset: Manager[Any] | QuerySet[Any], field: str, **filters: Any) -> Coalesce:
    """A correlated subquery: SUM(field) of `queryset` rows of the outer pool (0 when none)."""
    rows = (
        queryset.filter(**filters)
        .order_by()
        .values(*filters.keys())
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_pool_position(queryset: QuerySet[LicencePool]) -> QuerySet[LicencePool]:
    """Annotate pools with everything `pool_position` reads: positions of a whole list in the
    list's own query (no query per pool)."""
    latest = UsageImport.objects.filter(pool=OuterRef("pk")).order_by("-imported_at", "-id")
    return queryset.annotate(
        _c_quotas=_sum(AgencyQuota.objects, "quota_seats", pool=OuterRef("pk")),
        _c_held=_sum(AgencyQuota.objects, "held_seats", pool=OuterRef("pk")),
        _c_assigned=_sum(AgencyQuota.objects, "assigned_seats", pool=OuterRef("pk")),
        _c_import=Subquery(latest.values("pk")[:1]),
        _c_imported_at=Subquery(latest.values("imported_at")[:1]),
    ).annotate(
        _c_used=_sum(UsageCount.objects, "used_seats", usage_import=OuterRef("_c_import")),
        _c_unused=_sum(
            UsageCount.objects, "assigned_unused_seats", usage_import=OuterRef("_c_import")
        ),
        _c_days=Subquery(
            UsageCount.objects.filter(usage_import=OuterRef("_c_import"))
            .order_by()
            .values("unused_days")[:1]
        ),
    )


def with_agency_position(queryset: QuerySet[LicencePool], agency: Agency) -> QuerySet[LicencePool]:
    """Annotate pools with what `agency_position` reads for `agency` (no query per pool)."""
    mine = AgencyQuota.objects.filter(pool=OuterRef("pk"), agency=agency)
    latest = UsageImport.objects.filter(pool=OuterRef("pk")).order_by("-imported_at", "-id")
    count = UsageCount.objects.filter(usage_import=OuterRef("_c_import"), agency=agency)
    return queryset.annotate(
        _a_agency=Value(agency.pk, output_field=IntegerField()),
        _a_quota=Coalesce(Subquery(mine.values("quota_seats")[:1]), 0),
        _a_held=Coalesce(Subquery(mine.values("held_seats")[:1]), 0),
        _a_assigned=Coalesce(Subquery(mine.values("assigned_seats")[:1]), 0),
        _c_import=Subquery(latest.values("pk")[:1]),
        _c_imported_at=Subquery(latest.values("imported_at")[:1]),
    ).annotate(
        # An import that found nothing for this agency (it had no seats then): none used.
        _a_used=Coalesce(Subquery(count.values("used_seats")[:1]), 0),
        _a_unused=Coalesce(Subquery(count.values("assigned_unused_seats")[:1]), 0),
        _a_days=Subquery(count.values("unused_days")[:1]),
    )


def _pool_position_of(pool: Any) -> PoolPosition:
    """`pool`: a LicencePool annotated by `with_pool_position`."""
    has_import = pool._c_import is not None
    return PoolPosition(
        pool_id=pool.pk,
        owned=pool.total_seats,
        capacity=pool.capacity,
        quotas=pool._c_quotas,
        reserve=max(0, pool.total_seats - pool._c_quotas),
        held=pool._c_held,
        assigned=pool._c_assigned,
        used=pool._c_used if has_import else None,
        assigned_unused=pool._c_unused if has_import else None,
        unused_days=pool._c_days if has_import else None,
        usage_imported_at=pool._c_imported_at,
    )


def _agency_position_of(pool: Any) -> AgencyPosition:
    """`pool`: a LicencePool annotated by `with_agency_position`."""
    has_import = pool._c_import is not None
    return AgencyPosition(
        pool_id=pool.pk,
        agency_id=pool._a_agency,
        quota=pool._a_quota,
        held=pool._a_held,
        assigned=pool._a_assigned,
        used=pool._a_used if has_import else None,
        assigned_unused=pool._a_unused if has_import else None,
        unused_days=pool._a_days if has_import else None,
        usage_imported_at=pool._c_imported_at,
    )


def pool_positions(pools: Iterable[LicencePool | int]) -> dict[int, PoolPosition]:
    """Positions of several pools in one query, whatever their number or their agencies'."""
    ids = _ids(pools)
    rows = with_pool_position(LicencePool.objects.filter(pk__in=ids)) if ids else []
    return {pool.pk: _pool_position_of(pool) for pool in rows}


def pool_position(pool: LicencePool | int) -> PoolPosition:
    """A pool's position: read from `with_pool_position` annotations when the pool was loaded
    with them (no query), else one query."""
    if not isinstance(pool, int) and hasattr(pool, "_c_held"):
        return _pool_position_of(pool)
    pool_id = pool if isinstance(pool, int) else pool.pk
    return pool_positions([pool_id])[pool_id]


def agency_positions(
    pools: Iterable[LicencePool | int], agency: Agency
) -> dict[int, AgencyPosition]:
    """One agency's position in several pools, in one query."""
    ids = _ids(pools)
    rows = with_agency_position(LicencePool.objects.filter(pk__in=ids), agency) if ids else []
    return {pool.pk: _agency_position_of(pool) for pool in rows}


def agency_position(pool: LicencePool | int, agency: Agency) -> AgencyPosition:
    """An agency's position in a pool: from `with_agency_position` annotations for that agency
    when present (no query), else one query. Zeros when the agency has no quota row."""
    if not isinstance(pool, int) and getattr(pool, "_a_agency", None) == agency.pk:
        return _agency_position_of(pool)
    pool_id = pool if isinstance(pool, int) else pool.pk
    return agency_positions([pool_id], agency)[pool_id]
