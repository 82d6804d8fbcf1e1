"""The benchmarks still run: tiny sizes, figures with the expected keys. Times are not checked
here (speed is measured only by `make bench`)."""

import pytest
from django_tenants.utils import schema_exists

from tenants.models import Agency
from tests.bench import __main__ as bench_main
from tests.bench import bench_onboarding, harness

pytestmark = pytest.mark.django_db

TIMING_KEYS = {"mean_s", "p95_s", "total_s"}


def test_percentile_interpolates_between_ranks():
    # given twenty values 1..20
    values = [float(v) for v in range(20, 0, -1)]
    # when percentiles are taken
    # then they interpolate linearly between closest ranks, whatever the input order
    assert harness.percentile(values, 0) == 1.0
    assert harness.percentile(values, 50) == 10.5
    assert harness.percentile(values, 95) == pytest.approx(19.05)
    assert harness.percentile(values, 100) == 20.0
    assert harness.percentile([3.0], 95) == 3.0


def test_table_aligns_numbers_right_and_text_left():
    # given a header and two rows
    # when printed
    text = harness.table("T", ["name", "s"], [["a", 1.5], ["bbb", 12.25]])
    # then floats have three decimals and numbers line up on the right
    assert text.splitlines() == [
        "T",
        "name       s",
        "----  ------",
        "a      1.500",
        "bbb   12.250",
    ]


def test_the_runner_finds_the_benchmark_modules():
    # given the modules in tests/bench
    # when names are selected, with or without the bench_ prefix
    # then every bench_*.py module is found and unknown names are refused
    assert "bench_onboarding" in bench_main.available()
    assert bench_main.selected(["onboarding"]) == ["bench_onboarding"]
    assert bench_main.selected(["bench_onboarding"]) == ["bench_onboarding"]
    assert bench_main.selected([]) == bench_main.available()
    with pytest.raises(SystemExit):
        bench_main.selected(["nothing-like-this"])


def test_the_runner_reads_sizes_and_refuses_the_development_database():
    # given command-line options
    argv = ["onboarding", "--agencies", "2", "--sizes", "3,5", "--sample", "0"]
    options = bench_main.parse_args(argv)
    # then they are parsed, and the development and test databases are never used
    assert (options.names, options.agencies, options.sizes, options.sample) == (
        ["onboarding"],
        2,
        (3, 5),
        0,
    )
    for name in ("samnav", "test_samnav", "postgres"):
        with pytest.raises(ValueError):
            harness._check_name(name)
    harness._check_name("samnav_bench")


def test_onboarding_benchmark_returns_figures_for_each_method(federation):
    # given the test federation
    # when the onboarding benchmark runs with 2 agencies per method and no warm-up
    figures = bench_onboarding.onboarding(agencies=2, warmup=0)
    # then it reports each method and the ratios against migrate-based creation
    assert set(figures) == {
        "agencies",
        "migrations_per_schema",
        "clone",
        "migrate",
        "django_tenants_clone",
        "ratio_clone_vs_migrate",
        "ratio_django_tenants_clone_vs_migrate",
        "aim_clone_vs_migrate",
        "aim_met",
    }
    assert figures["agencies"] == 2
    assert figures["aim_clone_vs_migrate"] == 0.2
    for method in bench_onboarding.METHODS:
        assert set(figures[method]) == TIMING_KEYS
        assert figures[method]["mean_s"] > 0
    # and every benchmark agency was really onboarded, with its schema
    made = Agency.objects.filter(slug__startswith="bench-").order_by("slug")
    assert [a.slug for a in made] == [f"bench-{i:04d}" for i in range(1, 7)]
    assert all(schema_exists(a.schema_name) for a in made)
    assert "template clone" in bench_onboarding.report(
        figures, {"sizes": {3: _migrate_row()}, "sample": 1, "growth": _growth()}
    )


def test_migrate_noop_benchmark_reports_each_size_and_executor(federation):
    # given the test federation with its two member agencies
    # when migrate_schemas is timed at 3 and at 4 member agencies, with one onboarding per
    # method sampled at each size
    figures = bench_onboarding.migrate_schemas_noop(sizes=(4, 3), repeat_small=1, sample=1)
    # then each size has both executors and their ratio, and the growth from 3 to 4
    assert set(figures) == {"sizes", "sample", "growth"}
    assert sorted(figures["sizes"]) == [3, 4]
    assert set(figures["sizes"][3]) == set(_migrate_row())
    assert figures["sizes"][3]["schemas"] == 5  # 3 agencies, the template and public
    assert figures["sizes"][4]["schemas"] == 6
    assert set(figures["growth"]) == set(_growth())
    # and the two sampled onboardings came after the timing at 4: six member agencies now
    assert Agency.objects.members().count() == 6


def test_resize_removes_benchmark_agencies_and_their_schemas(federation):
    # given four member agencies, two of them made by the benchmark
    bench_onboarding.resize(4)
    made = list(Agency.objects.filter(slug__startswith="bench-"))
    assert len(made) == 2
    # when the federation is resized to two
    bench_onboarding.resize(2)
    # then the benchmark agencies and their schemas are gone, the others stay
    assert sorted(Agency.objects.members().values_list("slug", flat=True)) == ["alpha", "beta"]
    assert not any(schema_exists(a.schema_name) for a in made)


def _migrate_row() -> dict:
    return {
        "schemas": 5,
        "runs": 1,
        "skipping_s": 0.1,
        "plain_s": 0.2,
        "ratio_skipping_vs_plain": 0.5,
        "onboard_clone_s": 0.1,
        "onboard_migrate_s": 0.4,
        "ratio_clone_vs_migrate": 0.25,
    }


def _growth() -> dict:
    return {"from": 3, "to": 4, "skipping": 1.0, "plain": 1.0}
