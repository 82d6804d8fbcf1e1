"""Supplier contracts read, and the spend-concentration report.

Contracts are written by catalogue managers and platform admins (the catalogue's own rule:
the catalogue manager keeps suppliers) through their actions (actions/contracts.py; this
module re-exports `create_supplier_contract` and `update_supplier_contract` for its callers).
Reading contracts and the report is for catalogue managers, platform admins and finance
(checked by the API): contract values are commercial information, so the other central roles
(service desk, technicians, hub staff) do not see them.

The concentration report (`supplier_concentration`) answers "how much of our external spend
goes to one supplier?":

- A contract counts on `as_of` when `starts_on <= as_of <= ends_on` (both days included).
- Its annual value is `annual_value_ore` when the contract names one; otherwise the total
  `value_ore` annualised over its days: `value_ore * 365 / days`, `days` counting both the
  first and the last day, rounded to the nearest öre, halves up. A fixed 365-day year.
- A contract's annual value is split over the service categories it delivers in proportion
  to its number of services in each (largest remainder, whole öre, so the parts sum to the
  contract); a contract without services counts as category `None` (unassigned).
- Internal suppliers (central IT) are not an external basket: they are listed separately
  (`internal`) with their values and are left out of the totals and shares.
- Shares are percents with two decimals, computed exactly from the integer öre with the
  largest-remainder method, so the suppliers' shares sum to exactly 100.00 (and so do the
  suppliers' shares within each category). With nothing to share (a zero total), shares are
  `None`.
- A supplier is flagged when its exact share is strictly above the threshold (percent, the
  setting `SAMNAV_SUPPLIER_CONCENTRATION_THRESHOLD_PERCENT`, default 40).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar, cast

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from services.catalogue.actions.contracts import create_supplier_contract, update_supplier_contract
from services.catalogue.models import Service, Supplier, SupplierContract
from services.projects.apportion import largest_remainder, percentages, round_half_up

__all__ = [
    "CategoryConcentration",
    "CategorySpend",
    "ConcentrationReport",
    "SupplierShare",
    "SupplierSpend",
    "annualised_ore",
    "contracts_with_services",
    "create_supplier_contract",
    "supplier_concentration",
    "threshold_percent",
    "update_supplier_contract",
]

DAYS_PER_YEAR = 365
DEFAULT_THRESHOLD_PERCENT = Decimal(40)


def threshold_percent() -> Decimal:
    return Decimal(
        str(
            getattr(
                settings,
                "SAMNAV_SUPPLIER_CONCENTRATION_THRESHOLD_PERCENT",
                DEFAULT_THRESHOLD_PERCENT,
            )
        )
    )


def contracts_with_services() -> QuerySet[SupplierContract]:
    """Contracts with their supplier and services, in a fixed number of queries."""
    return SupplierContract.objects.select_related("supplier").prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("name"))
    )


# --- the concentration report ----------------------------------------------------------------


def annualised_ore(contract: SupplierContract) -> int:
    """The contract's value per year, in whole öre (the module's rule)."""
    if contract.annual_value_ore is not None:
        return contract.annual_value_ore
    days = (contract.ends_on - contract.starts_on).days + 1
    return round_half_up(Fraction(contract.value_ore * DAYS_PER_YEAR, days))


def _category_parts(contract: SupplierContract, annual: int) -> dict[str | None, int]:
    counts: dict[str, int] = defaultdict(int)
    for service in contract.services.all():  # prefetched
        counts[service.category] += 1
    if not counts:
        return {None: annual}
    ordered: dict[Hashable, int] = {category: counts[category] for category in sorted(counts)}
    return cast("dict[str | None, int]", largest_remainder(ordered, annual))  # keeps the keys


@dataclass
class CategorySpend:
    category: str | None
    annual_ore: int
    share_percent: Decimal | None = None


@dataclass
class SupplierSpend:
    supplier: Supplier
    contract_count: int = 0
    value_ore: int = 0
    annual_ore: int = 0
    share_percent: Decimal | None = None
    over_threshold: bool = False
    categories: list[CategorySpend] = field(default_factory=list)


@dataclass
class SupplierShare:
    supplier: Supplier
    annual_ore: int
    share_percent: Decimal | None
    over_threshold: bool


@dataclass
class CategoryConcentration:
    category: str | None
    annual_ore: int
    share_percent: Decimal | None
    suppliers: list[SupplierShare]


@dataclass
class ConcentrationReport:
    as_of: dt.date
    threshold_percent: Decimal
    total_annual_ore: int
    internal_annual_ore: int
    suppliers: list[SupplierSpend]
    categories: list[CategoryConcentration]
    internal: list[SupplierSpend]

    @property
    def flagged(self) -> list[str]:
        """Names of the external suppliers above the threshold share, largest first."""
        return [s.supplier.name for s in self.suppliers if s.over_threshold]


def _over(part: int, total: int, threshold: Decimal) -> bool:
    return total > 0 and Fraction(part * 100, total) > Fraction(threshold)


def _shares(parts: dict, total: int) -> dict:
    if total <= 0:
        return dict.fromkeys(parts)
    return percentages(parts)


def _by_spend(rows: list[_Row], annual: Callable[[_Row], int]) -> list[_Row]:
    return sorted(rows, key=lambda row: (-annual(row), row.supplier.name, row.supplier.pk))


_Row = TypeVar("_Row", SupplierSpend, SupplierShare)


def supplier_concentration(
    as_of: dt.date, *, threshold: Decimal | None = None
) -> ConcentrationReport:
    """The spend concentration per supplier on `as_of` (the module's rules). Three queries."""
    threshold = threshold_percent() if threshold is None else Decimal(threshold)
    contracts = contracts_with_services().filter(starts_on__lte=as_of, ends_on__gte=as_of)
    spends: dict[int, SupplierSpend] = {}
    per_category: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for contract in contracts.order_by("supplier__name", "pk"):
        spend = spends.setdefault(contract.supplier_id, SupplierSpend(contract.supplier))
        annual = annualised_ore(contract)
        spend.contract_count += 1
        spend.value_ore += contract.value_ore
        spend.annual_ore += annual
        for category, part in _category_parts(contract, annual).items():
            per_category[contract.supplier_id][category] += part
    external = _by_spend(
        [s for s in spends.values() if not s.supplier.is_internal], lambda s: s.annual_ore
    )
    internal = _by_spend(
        [s for s in spends.values() if s.supplier.is_internal], lambda s: s.annual_ore
    )
    total = sum(s.annual_ore for s in external)
    shares = _shares({s.supplier.pk: s.annual_ore for s in external}, total)
    for spend in external + internal:
        spend.categories = [
            CategorySpend(category, annual)
            for category, annual in sorted(
                per_category[spend.supplier.pk].items(), key=lambda kv: (-kv[1], kv[0] or "")
            )
        ]
    for spend in external:
        spend.share_percent = shares[spend.supplier.pk]
        spend.over_threshold = _over(spend.annual_ore, total, threshold)
        cat_shares = _shares({c.category: c.annual_ore for c in spend.categories}, spend.annual_ore)
        for item in spend.categories:
            item.share_percent = cat_shares[item.category]
    categories = _categories(external, per_category, total, threshold)
    return ConcentrationReport(
        as_of=as_of,
        threshold_percent=threshold,
        total_annual_ore=total,
        internal_annual_ore=sum(s.annual_ore for s in internal),
        suppliers=external,
        categories=categories,
        internal=internal,
    )


def _categories(
    external: list[SupplierSpend],
    per_category: dict[int, dict[str | None, int]],
    total: int,
    threshold: Decimal,
) -> list[CategoryConcentration]:
    """Per service category: its external spend, its share of the total, and each supplier's
    share of the category (summing to 100.00 within the category)."""
    names = sorted(
        {c for s in external for c in per_category[s.supplier.pk]}, key=lambda c: c or ""
    )
    annual_of = {
        category: sum(per_category[s.supplier.pk].get(category, 0) for s in external)
        for category in names
    }
    category_shares = _shares(annual_of, total)
    out = []
    for category in names:
        in_it = [s for s in external if category in per_category[s.supplier.pk]]
        parts = {s.supplier.pk: per_category[s.supplier.pk][category] for s in in_it}
        cat_total = annual_of[category]
        shares = _shares(parts, cat_total)
        rows = [
            SupplierShare(
                supplier=s.supplier,
                annual_ore=parts[s.supplier.pk],
                share_percent=shares[s.supplier.pk],
                over_threshold=_over(parts[s.supplier.pk], cat_total, threshold),
            )
            for s in in_it
        ]
        out.append(
            CategoryConcentration(
                category=category,
                annual_ore=cat_total,
                share_percent=category_shares[category],
                suppliers=_by_spend(rows, lambda r: r.annual_ore),
            )
        )
    return sorted(out, key=lambda c: (-c.annual_ore, c.category or ""))
