"""The largest-remainder split in plain Python: the reference the SQL run is tested against
(tests/costs/test_sql_matches_python.py) and what the property tests exercise.

`amount` öre are split over weights in proportion: each part first gets
floor(amount * w / total); the öre left over (fewer than the number of parts) go one each to
the parts with the largest remainders. Ties are broken by the smaller key (the agency id in
the run), so the order is stable and documented:

    remainder descending, then key ascending.

Arithmetic is exact (fractions), so Decimal weights such as 0.3/0.7 split exactly as 3/7.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction


class ZeroTotalError(ValueError):
    """The weights sum to zero but there is something to split: the öre would be lost."""


def largest_remainder(
    amount: int, weights: Sequence[int | Decimal | Fraction], keys: Sequence[int] | None = None
) -> list[int]:
    """Split `amount` (öre, >= 0) over `weights` (>= 0); the parts sum to `amount` exactly.
    `keys` (default: the positions) break ties between equal remainders, smaller first."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    exact = [Fraction(w) for w in weights]
    if any(w < 0 for w in exact):
        raise ValueError("weights must not be negative")
    keys = list(range(len(exact))) if keys is None else list(keys)
    if len(keys) != len(exact):
        raise ValueError("one key per weight")
    total = sum(exact, Fraction(0))
    if total == 0:
        if amount == 0:
            return [0] * len(exact)
        raise ZeroTotalError("nothing to split by: the weights sum to zero")
    parts, remainders = [], []
    for w in exact:
        quotient = amount * w / total
        base = quotient.numerator // quotient.denominator
        parts.append(base)
        remainders.append(quotient - base)
    left = amount - sum(parts)
    order = sorted(range(len(exact)), key=lambda i: (-remainders[i], keys[i]))
    for i in order[:left]:
        parts[i] += 1
    return parts
