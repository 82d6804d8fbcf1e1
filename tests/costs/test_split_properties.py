"""Largest remainder, property-tested (hypothesis): exact sums, no negative part, equal
weights within one öre, ties to the smaller key."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from services.costs.split import ZeroTotalError, largest_remainder

amounts = st.integers(min_value=0, max_value=10**13)  # up to 100 billion kronor
weights = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
)
weight_lists = st.lists(weights, min_size=1, max_size=60).filter(lambda ws: sum(ws) > 0)


def _check(amount, ws, parts):
    assert sum(parts) == amount
    assert all(p >= 0 for p in parts)
    total = sum(Fraction(w) for w in ws)
    for w, p in zip(ws, parts, strict=True):
        exact = amount * Fraction(w) / total
        assert exact - 1 < p < exact + 1  # each part is the exact share rounded down or up
    by_weight: dict = {}
    for w, p in zip(ws, parts, strict=True):
        by_weight.setdefault(Fraction(w), []).append(p)
    assert all(max(ps) - min(ps) <= 1 for ps in by_weight.values())


@given(amounts, weight_lists)
@example(0, [1])
@example(1, [1, 1, 1])
@example(100, [Decimal("0.3"), Decimal("0.7")])
def test_parts_sum_to_the_amount_and_equal_weights_differ_by_at_most_one(amount, ws):
    # given any amount and weights (zeros, a single agency, ties included)
    # when split
    parts = largest_remainder(amount, ws)
    # then the parts sum exactly, none is negative, equal weights are within one öre
    _check(amount, ws, parts)


@settings(max_examples=25, deadline=None)
@given(amounts, st.lists(st.integers(min_value=0, max_value=500), min_size=1000, max_size=1000))
def test_a_thousand_agencies(amount, ws):
    # given a thousand agencies (some with a zero driver)
    if sum(ws) == 0:
        ws[0] = 1
    # when split, then the same properties hold
    _check(amount, ws, largest_remainder(amount, ws))


@given(amounts, st.integers(min_value=1, max_value=1000))
def test_equal_drivers_get_the_floor_or_one_more_the_smaller_keys_first(amount, n):
    # given n equal drivers with keys in reverse order
    keys = list(range(n, 0, -1))
    # when split
    parts = largest_remainder(amount, [7] * n, keys)
    # then the leftover öre went to the smallest keys (the last positions here)
    q, r = divmod(amount, n)
    assert parts == [q] * (n - r) + [q + 1] * r


def test_zero_weights_with_an_amount_refuse_instead_of_losing_the_ore():
    # given weights that are all zero, when 100 öre are split, then it refuses
    with pytest.raises(ZeroTotalError):
        largest_remainder(100, [0, 0])
    # and nothing to split over nothing is fine
    assert largest_remainder(0, [0, 0]) == [0, 0]


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError, match="amount"):
        largest_remainder(-1, [1])
    with pytest.raises(ValueError, match="weights"):
        largest_remainder(1, [1, -1])
