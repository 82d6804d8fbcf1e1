"""Exact apportionment: the largest-remainder method (design.md, convention 10).

Used for the participants' percentages of a joint project and for the supplier spend shares,
so that parts shown with a fixed number of decimals always sum to their total exactly.
Pure functions over `fractions.Fraction` (the standard library's exact rationals).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from numbers import Rational


def largest_remainder(
    amounts: Mapping[Hashable, int | Decimal | Fraction], units: int
) -> dict[Hashable, int]:
    """Split `units` whole units in proportion to `amounts` (non-negative, positive sum).

    Each key gets the floor of its exact quota; the units left over go one each to the keys
    with the largest remainders, ties broken by the order of `amounts` (callers pass a stable
    order, e.g. by name). The result sums to `units` exactly.
    """
    exact = {key: Fraction(value) for key, value in amounts.items()}
    total = sum(exact.values(), Fraction(0))
    if total <= 0:
        raise ValueError("amounts must have a positive sum")
    if any(value < 0 for value in exact.values()):
        raise ValueError("amounts must not be negative")
    quotas = {key: value * units / total for key, value in exact.items()}
    parts = {key: int(quota) for key, quota in quotas.items()}  # floor: quotas are >= 0
    left = units - sum(parts.values())
    order = list(amounts)
    ranked = sorted(order, key=lambda key: (-(quotas[key] - parts[key]), order.index(key)))
    for key in ranked[:left]:
        parts[key] += 1
    return parts


def percentages(amounts: Mapping[Hashable, int | Decimal | Fraction]) -> dict[Hashable, Decimal]:
    """Each key's share of the total as a percent with two decimals, summing to 100.00."""
    hundredths = largest_remainder(amounts, 10_000)
    return {key: Decimal(value).scaleb(-2) for key, value in hundredths.items()}


def round_half_up(value: Rational) -> int:
    """The whole number nearest to a non-negative exact value, halves rounded up."""
    value = Fraction(value)
    if value < 0:
        raise ValueError("only non-negative values")
    return int(value + Fraction(1, 2))
