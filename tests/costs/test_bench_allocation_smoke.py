"""The allocation benchmark still runs: tiny sizes, figures with the expected keys, every pool
split exactly. Times are not checked here (speed is measured only by
`python -m tests.bench allocation`)."""

import pytest
from django.db.models import Sum

from services.costs.models import AllocationLine, CostPool
from tests.bench import bench_allocation

pytestmark = pytest.mark.django_db


def test_allocation_benchmark_reports_its_figures(federation):
    # given nothing but the test federation
    # when the benchmark runs at 4 agencies x 7 pools (one per key) x 2 months
    figures = bench_allocation.allocation(agencies=4, pools=7, months=2)
    # then it reports the runs next to the GROUP BY baselines
    assert set(figures) == {
        "agencies", "driver_rows", "seed_s", "pools_per_month", "months", "lines",
        "run_first_s", "run_rerun_s", "run_month_p50_s", "run_month_max_s", "checksums_repeat",
        "group_by_s", "group_by_rows", "joined_group_by_s", "joined_group_by_rows",
        "stored_group_by_s", "stored_group_by_rows", "split_select_s", "split_select_rows",
        "ratio", "ratio_rerun", "ratio_split", "ratio_literal", "ratio_stored", "ratio_select",
        "aim", "aim_met",
    }  # fmt: skip
    assert (figures["agencies"], figures["months"], figures["aim"]) == (4, 2, 2.0)
    # 4 agencies x 2 months x (headcount + 10 services x 2 + 2 seat pools + 3 totals + 2 visit
    # figures + budget)
    assert figures["driver_rows"] == 4 * 2 * 29
    assert figures["lines"] == figures["split_select_rows"] == figures["joined_group_by_rows"]
    assert figures["stored_group_by_rows"] == figures["lines"]
    assert figures["lines"] == 2 * 7 * 4
    assert figures["checksums_repeat"] is True
    # and every pool's lines sum to the pool
    pools = CostPool.objects.filter(name__startswith="Pool ").annotate(s=Sum("lines__amount_ore"))
    assert [p.s == p.amount_ore for p in pools] == [True] * 14
    assert AllocationLine.objects.filter(amount_ore__lt=0).count() == 0
    text = bench_allocation.report(figures)
    assert "run / (b) GROUP BY producing the same rows = " in text
    assert "checksums of the two passes identical" in text
    assert "like for like: run / (b') = " in text
