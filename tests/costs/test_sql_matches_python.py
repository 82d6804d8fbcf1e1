"""The SQL run and the Python reference give identical lines for random inputs."""

import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.costs.allocation import split_rows
from services.costs.models import CostPool, DriverSnapshot
from services.costs.split import largest_remainder
from tests.costs import builders as b

pytestmark = pytest.mark.django_db

values = st.one_of(
    st.integers(min_value=0, max_value=50),
    st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False, allow_infinity=False),
)


@pytest.fixture
def setting(federation):
    agencies = b.bare_agencies(40)
    per = b.period()
    return per, [a.pk for a in agencies], b.key("Heads", "driver", "headcount")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pools=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10**12),
            st.lists(values, min_size=1, max_size=40),
        ),
        min_size=1,
        max_size=4,
    ),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_sql_split_equals_python_split(setting, pools, seed):
    # given random pools over random headcounts (ties and zeros included) of up to 40 agencies
    per, agency_ids, key = setting
    CostPool.objects.filter(period=per).delete()
    DriverSnapshot.objects.filter(period=per).delete()
    rng = random.Random(seed)
    chosen = rng.sample(agency_ids, max(len(v) for _a, v in pools))
    ws = pools[0][1] + [0] * (len(chosen) - len(pools[0][1]))
    if sum(ws) == 0:
        ws[0] = 1
    b.drivers(per, "headcount", dict(zip(chosen, ws, strict=True)))
    made = [b.pool(per, f"p{i}", amount, key) for i, (amount, _v) in enumerate(pools)]
    # when the SQL computes the split
    got = sorted((r[0], r[2], r[6]) for r in split_rows(per))
    # then it equals the Python reference, agency by agency
    order = sorted(zip(chosen, ws, strict=True))
    expected = []
    for p in made:
        parts = largest_remainder(
            p.amount_ore, [Decimal(str(w)) for _a, w in order], [a for a, _w in order]
        )
        expected += [(p.pk, a, part) for (a, _w), part in zip(order, parts, strict=True)]
    assert got == sorted(expected)
