"""Reads of the cost split: lines for the exporters, and the cost report. Each is a fixed
number of queries over public, whatever the number of agencies or lines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from services.costs.exports.rows import ExportLine
from services.costs.models import AllocationLine, DriverKind, DriverSnapshot, Period
from services.costs.policies import is_published, published_periods
from tenants.models import Agency


def lines_for_export(period: Period, agency: Agency | None = None) -> list[ExportLine]:
    """The period's lines (one agency's, or all) with pool, key, service, supplier, project
    and agency names: one query."""
    qs = (
        AllocationLine.objects.filter(period=period)
        .select_related(
            "agency",
            "service",
            "pool__supplier",
            "pool__project",
            "pool__corrects__pool",
            "pool__corrects__period",
            "key_version__key",
        )
        .order_by("agency__slug", "pool__name", "pool_id", "id")
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    out = []
    for line in qs:
        pool, version = line.pool, line.key_version
        corrected = pool.corrects
        out.append(
            ExportLine(
                period=period.month,
                agency_id=line.agency_id,
                agency_slug=line.agency.slug,
                agency_name=line.agency.name,
                agency_org_number=line.agency.org_number,
                pool_id=pool.pk,
                pool_name=pool.name,
                pool_category=pool.category,
                source_reference=pool.source_reference,
                service_name=line.service.name if line.service is not None else "",
                service_category=line.service.category if line.service is not None else "",
                supplier_name=pool.supplier.name if pool.supplier is not None else "",
                key_name=version.key.name if version else "",
                key_version_id=version.pk if version else 0,
                key_method=version.method if version else "",
                driver_kind=version.driver_kind if version else "",
                driver_value=line.driver_value,
                share=line.share,
                amount_ore=line.amount_ore,
                corrects=(
                    f"line {corrected.pk} ({corrected.pool.name}, {corrected.period.month:%Y-%m})"
                    if corrected
                    else None
                ),
                line_id=line.pk,
                project_name=pool.project.name if pool.project is not None else "",
            )
        )
    return out


# --- the cost report --------------------------------------------------------------------------
class GroupBy(StrEnum):
    AGENCY = "agency"
    SERVICE = "service"
    POOL = "pool"
    AGENCY_SERVICE = "agency_service"


GROUP_FIELDS = {
    GroupBy.AGENCY: ("agency_id", "agency__slug", "agency__name"),
    GroupBy.SERVICE: ("service_id", "service__name"),
    GroupBy.POOL: ("pool__name", "pool__category"),
    GroupBy.AGENCY_SERVICE: (
        "agency_id",
        "agency__slug",
        "agency__name",
        "service_id",
        "service__name",
    ),
}


@dataclass(frozen=True)
class ReportRow:
    month: dt.date
    agency_id: int | None
    agency_slug: str
    agency_name: str
    service_id: int | None
    service_name: str
    pool_name: str
    amount_ore: int
    previous_ore: int | None  # the previous period's amount (None: there is no earlier period)
    budget_ore: int | None  # the agency's budget for the month (grouping by agency only)

    @property
    def change_ore(self) -> int | None:
        return None if self.previous_ore is None else self.amount_ore - self.previous_ore

    @property
    def budget_difference_ore(self) -> int | None:
        return None if self.budget_ore is None else self.budget_ore - self.amount_ore


def _periods(period: Period, months: int, published_only: bool) -> list[Period]:
    """The report's periods (newest first) and the one before the oldest, for the trend; for
    an agency only published ones (a draft month is finance's, even as "the month before")."""
    periods = Period.objects.filter(month__lte=period.month)
    if published_only:
        periods = published_periods(periods)
    return list(periods.order_by("-month")[: months + 1])


def cost_report(
    period: Period, group_by: GroupBy, *, agency: Agency | None = None, months: int = 1
) -> list[ReportRow]:
    """Amounts per group for `period` and the `months - 1` periods before it, each with its
    previous period's amount and, per agency, the month's budget. Three queries."""
    group_by = GroupBy(group_by)
    if agency is not None and not is_published(period):
        return []  # nothing of a draft month reaches an agency
    periods = _periods(period, max(1, months), published_only=agency is not None)
    fields = GROUP_FIELDS[group_by]
    qs = AllocationLine.objects.filter(period__in=[p.pk for p in periods])
    if agency is not None:
        qs = qs.filter(agency=agency)
    sums: dict[tuple, int] = {}
    for row in qs.values("period_id", *fields).annotate(total=Sum("amount_ore")).order_by():
        key = tuple(row.get(f) for f in fields)
        sums[(row["period_id"], key)] = row["total"]
    budgets: dict[tuple[int, int | None], int] = {}  # (period, agency)
    if group_by == GroupBy.AGENCY:
        snaps = DriverSnapshot.objects.filter(
            period__in=[p.pk for p in periods], kind=DriverKind.BUDGET, ref_id=0
        )
        if agency is not None:
            snaps = snaps.filter(agency=agency)
        for period_id, agency_id, value in snaps.values_list("period_id", "agency_id", "value"):
            budgets[(period_id, agency_id)] = int(Decimal(value))
    out = []
    shown = periods[: max(1, months)]
    for i, current in enumerate(shown):
        previous = periods[i + 1] if i + 1 < len(periods) else None
        keys = {k for (pid, k) in sums if pid == current.pk}
        if previous is not None:
            keys |= {k for (pid, k) in sums if pid == previous.pk}
        for key in keys:
            named: dict[str, Any] = dict(zip(fields, key, strict=True))
            row_agency = named.get("agency_id")
            out.append(
                ReportRow(
                    month=current.month,
                    agency_id=row_agency,
                    agency_slug=named.get("agency__slug") or "",
                    agency_name=named.get("agency__name") or "",
                    service_id=named.get("service_id"),
                    service_name=named.get("service__name")
                    or ("" if "service_id" not in named else _("Without service")),
                    pool_name=named.get("pool__name") or "",
                    amount_ore=sums.get((current.pk, key), 0),
                    previous_ore=(
                        sums.get((previous.pk, key), 0) if previous is not None else None
                    ),
                    budget_ore=budgets.get((current.pk, row_agency))
                    if group_by == GroupBy.AGENCY
                    else None,
                )
            )
    out.sort(key=lambda r: (-r.month.toordinal(), r.agency_name, r.service_name, r.pool_name))
    return out


def statement_totals(period: Period, agency_ids: list[int]) -> dict[int, int]:
    rows = (
        AllocationLine.objects.filter(period=period, agency_id__in=agency_ids)
        .values("agency_id")
        .annotate(total=Sum("amount_ore"))
        .order_by()
    )
    return {r["agency_id"]: r["total"] for r in rows}
