"""The rows every cost-split export is written from, and the grouping of a statement.

An `ExportLine` is one allocation line of a period, flattened with everything a reader needs to
trace its kronor back to where they came from: the agency it was charged to, the pool (and the
invoice or salary reference the pool was booked from), the allocation key version and the
driver value that gave the agency its share. Every format (CSV, XLSX, PDF, FOCUS, SIE) is
written from a list of these, so each one carries the same figures.

Money is integer öre. It is shown as kronor with exactly two decimals through `Decimal`
(`kronor`, `format_kronor`), never through float.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class LineAdjustment:
    """One change a dispute's resolution made to the line: signed öre (+: the agency pays
    more), the resolution's reason, who made it and when."""

    amount_ore: int
    reason: str
    made_by: str
    made_at: dt.datetime | None = None


REFERENCE_PREFIX = "KF"  # kostnadsfördelning; as services.costs.models.statement_reference


@dataclass(frozen=True)
class ExportLine:
    period: dt.date  # the first day of the period's month
    agency_id: int
    agency_slug: str
    agency_name: str
    agency_org_number: str
    pool_id: int
    pool_name: str
    pool_category: str  # the pool's category (the engine's choice value)
    source_reference: str  # the invoice number or salary reference the pool was booked from
    service_name: str  # "" when the pool has no catalogue service
    service_category: str  # the catalogue category value (services.catalogue Category), or ""
    supplier_name: str  # "" for central IT's own costs (salaries)
    key_name: str
    key_version_id: int | None  # None for corrections (no key)
    key_method: str
    driver_kind: str
    driver_value: Decimal
    share: Decimal  # the agency's share of the pool, 0..1
    amount_ore: int
    corrects: str | None = None  # the reference of the line this one corrects
    line_id: int | None = None  # the allocation line's id, when it has one
    project_name: str = ""
    computed_ore: int | None = None  # what the split gave, before adjustments (None: same)
    pool_amount_ore: int | None = None  # the whole pool's amount (all agencies)
    corrects_period: dt.date | None = None  # a correction: the month of the line it corrects
    adjustments: tuple[LineAdjustment, ...] = ()

    @property
    def is_correction(self) -> bool:
        return self.corrects is not None

    @property
    def statement_reference(self) -> str:
        """The reference of the agency's statement for the period: `KF-2026-11-UPPSALA`."""
        return f"{REFERENCE_PREFIX}-{self.period:%Y-%m}-{self.agency_slug.upper()}"

    @property
    def adjustment_ore(self) -> int:
        return sum(a.amount_ore for a in self.adjustments)

    @property
    def computed(self) -> int:
        if self.computed_ore is None:
            return self.amount_ore - self.adjustment_ore
        return self.computed_ore

    @property
    def pool_share(self) -> Decimal | None:
        """The share of the pool as the money gives it (amount / pool amount), or None."""
        if not self.pool_amount_ore:
            return None
        return Decimal(self.amount_ore) / Decimal(self.pool_amount_ore)

    @property
    def adjustment_text(self) -> str:
        """Every adjustment of the line in one string, "reason: +12.34 kr (who, date); ...",
        the reason first (a leading sign would read as a formula in a spreadsheet)."""
        return "; ".join(
            f"{a.reason}: {'+' if a.amount_ore > 0 else ''}{format_kronor(a.amount_ore)} kr"
            f" ({a.made_by}{', ' + f'{a.made_at:%Y-%m-%d}' if a.made_at else ''})"
            for a in self.adjustments
        )

    @property
    def key_label(self) -> str:
        """ "Key name v<version id> (method)", or just the method when there is no key."""
        if self.key_version_id is None:
            return f"{self.key_name} ({self.key_method})" if self.key_name else self.key_method
        return f"{self.key_name} v{self.key_version_id} ({self.key_method})"

    @property
    def trace(self) -> str:
        """Where the line's money came from, in one string: pool id and source reference."""
        return f"pool {self.pool_id} / {self.source_reference}"


# --- money ------------------------------------------------------------------------------------


def kronor(ore: int) -> Decimal:
    """Öre as kronor, exactly, with two decimals (12345 -> Decimal('123.45'))."""
    if isinstance(ore, bool) or not isinstance(ore, int):
        raise TypeError("money is integer öre")
    return (Decimal(ore) / 100).quantize(TWO_PLACES)


def format_kronor(ore: int, *, decimal_separator: str = ".") -> str:
    """Öre as a kronor string with exactly two decimals and no thousands separator:
    -5 -> "-0.05", 123456 -> "1234.56" (or "1234,56" with a decimal comma)."""
    text = f"{kronor(ore):.2f}"
    return text.replace(".", decimal_separator) if decimal_separator != "." else text


def format_decimal(value: Decimal, *, decimal_separator: str = ".") -> str:
    """A Decimal in plain notation (never exponent form)."""
    text = format(value, "f")
    return text.replace(".", decimal_separator) if decimal_separator != "." else text


# --- text in narrow character sets ----------------------------------------------------------

_PUNCTUATION = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u20ac": "EUR",
        "\u202f": " ",
    }
)


def fold_text(text: str, encoding: str) -> str:
    """Text that `encoding` can carry: typographic dashes and quotes as ASCII, letters it lacks
    without their accent (š -> s in code page 437), anything else "?". åäö survive both code
    page 437 and Latin-1."""
    out = []
    for char in text.translate(_PUNCTUATION):
        try:
            char.encode(encoding)
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        try:
            base.encode(encoding)
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


# --- months -------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of the month of `day`."""
    return next_month(day) - dt.timedelta(days=1)


# --- grouping ---------------------------------------------------------------------------------


def sort_key(line: ExportLine) -> tuple:
    """Agency, then pool, originals before corrections."""
    return (
        line.agency_slug,
        line.pool_name.casefold(),
        line.pool_id,
        line.corrects is not None,
        line.line_id or 0,
    )


def sorted_lines(lines: Iterable[ExportLine]) -> list[ExportLine]:
    return sorted(lines, key=sort_key)


@dataclass
class PoolGroup:
    """The lines of one pool on one agency's statement (the original and any corrections)."""

    pool_id: int
    pool_name: str
    pool_category: str
    source_reference: str
    lines: list[ExportLine] = field(default_factory=list)

    @property
    def total_ore(self) -> int:
        return sum(line.amount_ore for line in self.lines)


@dataclass
class Statement:
    """One agency's statement for one period: its lines grouped by pool, and its total."""

    period: dt.date
    agency_id: int
    agency_slug: str
    agency_name: str
    agency_org_number: str
    pools: list[PoolGroup] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX}-{self.period:%Y-%m}-{self.agency_slug.upper()}"

    @property
    def total_ore(self) -> int:
        return sum(pool.total_ore for pool in self.pools)

    @property
    def lines(self) -> list[ExportLine]:
        return [line for pool in self.pools for line in pool.lines]


def statements(lines: Iterable[ExportLine]) -> list[Statement]:
    """Lines grouped per agency (ordered by slug) and, within each, per pool (by name)."""
    out: dict[int, Statement] = {}
    groups: dict[tuple[int, int], PoolGroup] = {}
    for line in sorted_lines(lines):
        statement = out.get(line.agency_id)
        if statement is None:
            statement = out[line.agency_id] = Statement(
                period=line.period,
                agency_id=line.agency_id,
                agency_slug=line.agency_slug,
                agency_name=line.agency_name,
                agency_org_number=line.agency_org_number,
            )
        group = groups.get((line.agency_id, line.pool_id))
        if group is None:
            group = groups[(line.agency_id, line.pool_id)] = PoolGroup(
                pool_id=line.pool_id,
                pool_name=line.pool_name,
                pool_category=line.pool_category,
                source_reference=line.source_reference,
            )
            statement.pools.append(group)
        group.lines.append(line)
    return list(out.values())


def statement_for(lines: Iterable[ExportLine], agency_id: int) -> Statement | None:
    found = [s for s in statements(line for line in lines if line.agency_id == agency_id)]
    return found[0] if found else None


@dataclass(frozen=True)
class PoolTotal:
    pool_id: int
    pool_name: str
    pool_category: str
    source_reference: str
    agencies: int
    amount_ore: int


def pool_totals(lines: Iterable[ExportLine]) -> list[PoolTotal]:
    """Per pool: what was charged to the agencies in all (the pool's amount once split)."""
    amounts: dict[int, int] = {}
    agencies: dict[int, set[int]] = {}
    first: dict[int, ExportLine] = {}
    for line in lines:
        amounts[line.pool_id] = amounts.get(line.pool_id, 0) + line.amount_ore
        agencies.setdefault(line.pool_id, set()).add(line.agency_id)
        first.setdefault(line.pool_id, line)
    return [
        PoolTotal(
            pool_id=pid,
            pool_name=first[pid].pool_name,
            pool_category=first[pid].pool_category,
            source_reference=first[pid].source_reference,
            agencies=len(agencies[pid]),
            amount_ore=amounts[pid],
        )
        for pid in sorted(first, key=lambda p: (first[p].pool_name.casefold(), p))
    ]


def total_ore(lines: Iterable[ExportLine]) -> int:
    return sum(line.amount_ore for line in lines)
