"""What an order commits the agency to, and how that falls on each calendar year's budget.

The controls (approval, budget) look at the commitment, not at "the rest of this year": an
order placed on 6 December, or starting in January, commits the agency just as much. The
commitment of a line is its one-off cost plus COMMITMENT_MONTHS months of its monthly cost,
counted from the month it starts (that month included; docs/decisions/
2026-12-07-order-commitment.md). The split per calendar year is exact integer öre and sums to
the commitment.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

# Offerings have no term of their own in the catalogue: every monthly cost commits one year.
COMMITMENT_MONTHS = 12


@dataclass(frozen=True)
class LineCommitment:
    monthly_ore: int
    months: int
    one_off_ore: int
    per_year: dict[int, int]

    @property
    def total_ore(self) -> int:
        return self.monthly_ore * self.months + self.one_off_ore


def months_per_year(start: dt.date, months: int = COMMITMENT_MONTHS) -> dict[int, int]:
    """How many of the `months` months from `start`'s month fall in each calendar year."""
    first = start.year * 12 + start.month - 1
    return dict(Counter((first + i) // 12 for i in range(months)))


def line_commitment(monthly_ore: int, one_off_ore: int, starts_on: dt.date) -> LineCommitment:
    """A line's commitment: its monthly cost for COMMITMENT_MONTHS months from its start, and
    its one-off cost in the year it starts."""
    months = COMMITMENT_MONTHS if monthly_ore else 0
    per_year = {year: monthly_ore * n for year, n in months_per_year(starts_on, months).items()}
    if one_off_ore:
        per_year[starts_on.year] = per_year.get(starts_on.year, 0) + one_off_ore
    return LineCommitment(monthly_ore, months, one_off_ore, per_year)


def add_years(parts: list[dict[int, int]]) -> dict[int, int]:
    """The per-year sums of several lines, years in order."""
    total: Counter[int] = Counter()
    for part in parts:
        total.update(part)
    return {year: total[year] for year in sorted(total)}
