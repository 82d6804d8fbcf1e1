"""The largest-remainder method: parts sum to the whole, exactly."""

from decimal import Decimal
from fractions import Fraction

import pytest

from services.projects.apportion import largest_remainder, percentages, round_half_up


def test_thirds_sum_to_100_00():
    assert percentages({"a": 1, "b": 1, "c": 1}) == {
        "a": Decimal("33.34"),
        "b": Decimal("33.33"),
        "c": Decimal("33.33"),
    }


def test_the_largest_remainder_gets_the_leftover_unit():
    # 10 units over 1 : 2 : 3.5 -> quotas 1.538, 3.077, 5.385: floors 1, 3, 5; b's .077 < a's .538
    assert largest_remainder({"a": 1, "b": 2, "c": Decimal("3.5")}, 10) == {"a": 2, "b": 3, "c": 5}


def test_zero_parts_and_zero_units():
    assert largest_remainder({"a": 0, "b": 5}, 7) == {"a": 0, "b": 7}
    assert largest_remainder({"a": 1, "b": 5}, 0) == {"a": 0, "b": 0}


@pytest.mark.parametrize("amounts", [{}, {"a": 0}, {"a": -1, "b": 2}])
def test_bad_amounts_are_refused(amounts):
    with pytest.raises(ValueError):
        largest_remainder(amounts, 100)


def test_round_half_up():
    assert [round_half_up(Fraction(n, 2)) for n in (0, 1, 2, 3, 5)] == [0, 1, 1, 2, 3]
    assert round_half_up(Fraction(1000 * 365, 366)) == 997  # 997.268...
