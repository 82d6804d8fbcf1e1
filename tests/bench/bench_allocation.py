"""The monthly cost split at federation scale (issue 7): 1,000 agencies x 50 pools x 12 months.

Run: `make bench BENCH_ARGS=allocation` or `python -m tests.bench allocation`.
Sizes come from the environment: SAMNAV_BENCH_ALLOC_AGENCIES (default 1000),
SAMNAV_BENCH_ALLOC_POOLS (pools per month, default 50), SAMNAV_BENCH_ALLOC_MONTHS (default 12).

The run is one pass over public data in SQL (services/costs/allocation.py). The aim (issue
10): the months' runs take at most twice a raw SQL aggregate that produces the same rows,
measured in the same process on the same database, both in the server with the same work_mem
and both writing their rows (the run into its line table, the baselines into a temporary
table):

1. seeding: agency rows without schemas (the split reads public only), and for every month
   and agency the driver rows the fan-out would write (headcount, tickets and subscription
   fees per service and in total, seats per licence pool and in total, visits and minutes,
   budget), inserted by one INSERT ... SELECT per month with deterministic values; 50 pools a
   month cycling through every method (even, fixed weights for every agency, headcount,
   tickets per service, seats per licence pool, visit minutes, direct charge per service);
2. the runs: `execute_run` per month (the upsert of the lines, the per-pool sum check, the
   checksum, in one transaction), timed in total and per month: a first pass where every
   line is new (what a month's run does; the time compared) and a second pass (the rerun:
   same checksums, nothing to write);
3. baselines over the same driver table in the same run: (a) the literal one, a single
   GROUP BY (period, kind, ref) summing every driver row; (b) a GROUP BY joining the pools
   to their drivers, per (pool, agency): the same rows the run produces, without the
   rounding or ranking (the aim's baseline), month by month as the runs; and (c) the run's
   split SELECT alone (no upsert, sum check or checksum). (a) is printed for reference: it
   yields a few dozen rows where the run writes 50,000 a month.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from django.db import connection, transaction

from services.catalogue.models import Service, Supplier
from services.costs.allocation import execute_run, split_sql
from services.costs.models import (
    AllocationKey,
    AllocationLine,
    AllocationRun,
    CostPool,
    DriverSnapshot,
    KeyVersion,
    KeyWeight,
    Period,
)
from services.licences.models import LicencePool
from tenants.models import Agency, AgencyKind, AgencyState
from tests.bench import harness

DEFAULT_AGENCIES = 1000
DEFAULT_POOLS = 50
DEFAULT_MONTHS = 12
AIM = 2.0
SERVICES = 10
LICENCE_POOLS = 2
# Far from the demo's months (the year before today, some closed): `python -m tests.bench`
# runs every benchmark on one database, and bench_scale loads the demo.
FIRST_MONTH = dt.date(2040, 1, 1)
PREFIX = "bench-alloc"
KEYS = (
    ("even", "even", ""),
    ("fixed", "fixed", ""),
    ("headcount", "driver", "headcount"),
    ("tickets", "driver", "tickets"),
    ("seats", "driver", "licence_seats"),
    ("visits", "driver", "visit_minutes"),
    ("direct", "direct", ""),
)


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def month(i: int) -> dt.date:
    y, m = divmod(FIRST_MONTH.month - 1 + i, 12)
    return dt.date(FIRST_MONTH.year + y, m + 1, 1)


# --- Seeding ----------------------------------------------------------------------------------
def agencies(count: int) -> list[int]:
    have = list(
        Agency.objects.filter(slug__startswith=PREFIX).order_by("pk").values_list("pk", flat=True)
    )
    start = len(have)
    Agency.objects.bulk_create(
        Agency(
            name=f"Allocation agency {i}",
            slug=f"{PREFIX}-{i:05d}",
            schema_name=f"bench_alloc_{i:05d}",
            kind=AgencyKind.AGENCY,
            state=AgencyState.ACTIVE,
            headcount=50 + i % 700,
        )
        for i in range(start, count)
    )
    return list(
        Agency.objects.filter(slug__startswith=PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )


def catalogue() -> tuple[list[int], list[int]]:
    services = [
        Service.objects.get_or_create(
            name=f"Bench service {i}", defaults={"category": "email", "owner": "Bench"}
        )[0].pk
        for i in range(SERVICES)
    ]
    supplier = Supplier.objects.get_or_create(name="Bench supplier")[0]
    pools = [
        LicencePool.objects.get_or_create(
            product=f"Bench licence {i}",
            defaults={
                "supplier": supplier,
                "starts_on": FIRST_MONTH,
                "ends_on": FIRST_MONTH.replace(year=FIRST_MONTH.year + 5),
                "renewal_on": FIRST_MONTH.replace(year=FIRST_MONTH.year + 4),
                "total_seats": 10**6,
                "seat_monthly_ore": 9_500,
            },
        )[0].pk
        for i in range(LICENCE_POOLS)
    ]
    return services, pools


def seed_drivers(period: Period, agency_ids: list[int], services, licence_pools) -> int:
    """The rows the fan-out would write for every agency, in one statement."""
    table = DriverSnapshot._meta.db_table
    agency = Agency._meta.db_table
    refs = (
        [("headcount", 0, "a.headcount")]
        + [("tickets", s, f"(a.id * 7 + {s} + %(m)s) %% 13") for s in services]
        + [("tickets", 0, "-1")]
        + [("subscriptions", s, f"((a.id + {s} + %(m)s) %% 5) * 12500") for s in services]
        + [("subscriptions", 0, "-1")]
        + [("licence_seats", p, f"(a.id * 3 + {p}) %% 40") for p in licence_pools]
        + [("licence_seats", 0, "-1")]
        + [("visits", 0, "(a.id + %(m)s) %% 4"), ("visit_minutes", 0, "((a.id + %(m)s) %% 4) * 95")]
        + [("budget", 0, "a.headcount * 166667")]
    )
    parts = []
    for kind, ref, expr in refs:
        if expr == "-1":  # the total over every ref, as the fan-out writes it
            continue
        parts.append(f"SELECT a.id, '{kind}', {ref}, ({expr})::numeric FROM {agency} a")
    sql = (
        f"INSERT INTO {table} (period_id, agency_id, kind, ref_id, value, taken_at) "  # noqa: S608
        f"SELECT %(period)s, x.id, x.kind, x.ref, x.value, now() FROM ("
        + " UNION ALL ".join(parts)
        + ") AS x(id, kind, ref, value) WHERE x.id = ANY(%(ids)s)"
    )
    totals = (
        f"INSERT INTO {table} (period_id, agency_id, kind, ref_id, value, taken_at) "  # noqa: S608
        f"SELECT period_id, agency_id, kind, 0, SUM(value), now() FROM {table} "
        f"WHERE period_id = %(period)s AND kind IN ('tickets', 'subscriptions', 'licence_seats') "
        f"GROUP BY period_id, agency_id, kind"
    )
    params = {"period": period.pk, "ids": agency_ids, "m": period.month.month}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = cursor.rowcount
        cursor.execute(totals, params)
        return written + cursor.rowcount


def seed_keys(agency_ids: list[int]) -> dict[str, int]:
    keys = {}
    for name, method, driver in KEYS:
        key, created = AllocationKey.objects.get_or_create(name=f"Bench {name}")
        if created:
            version = KeyVersion.objects.create(
                key=key, valid_from=FIRST_MONTH, method=method, driver_kind=driver
            )
            if method == "fixed":
                KeyWeight.objects.bulk_create(
                    KeyWeight(version=version, agency_id=a, weight=1 + a % 5) for a in agency_ids
                )
        keys[name] = key.pk
    return keys


def seed_pools(period: Period, pools: int, keys: dict[str, int], services, licence_pools) -> None:
    rows = []
    for i in range(pools):
        name, _method, _driver = KEYS[i % len(KEYS)]
        rows.append(
            CostPool(
                period=period,
                name=f"Pool {i:02d} ({name})",
                category="infrastructure",
                amount_ore=1_000_000_00 + i * 7_919_13 + period.month.month * 101,
                key_id=keys[name],
                service_id=services[i % len(services)] if name in ("tickets", "direct") else None,
                licence_pool_id=licence_pools[i % len(licence_pools)] if name == "seats" else None,
                source_reference=f"BENCH-{period.month:%Y%m}-{i:02d}",
            )
        )
    CostPool.objects.bulk_create(rows)


def seed(agency_count: int, pools: int, months: int) -> dict:
    started = time.perf_counter()
    agency_ids = agencies(agency_count)
    services, licence_pools = catalogue()
    keys = seed_keys(agency_ids)
    periods, drivers = [], 0
    for i in range(months):
        period, created = Period.objects.get_or_create(month=month(i))
        if created:
            drivers += seed_drivers(period, agency_ids, services, licence_pools)
            seed_pools(period, pools, keys, services, licence_pools)
        periods.append(period)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {DriverSnapshot._meta.db_table}")  # noqa: S608
        cursor.execute(f"ANALYZE {CostPool._meta.db_table}")  # noqa: S608
    return {
        "periods": periods,
        "agencies": len(agency_ids),
        "driver_rows": DriverSnapshot.objects.filter(period__in=periods).count(),
        "seed_s": time.perf_counter() - started,
    }


# --- Measuring --------------------------------------------------------------------------------
BASELINE_SQL = """
SELECT period_id, kind, ref_id, SUM(value), COUNT(*) FROM {driver}
WHERE period_id = ANY(%(periods)s) GROUP BY period_id, kind, ref_id
"""

# The month's pools joined to the drivers their keys read: the rows of (b) and (b').
POOLS_TO_DRIVERS = """
FROM {pool} p
JOIN {version} v ON v.key_id = p.key_id
JOIN {driver} d ON d.period_id = %(period)s
  AND d.kind = CASE WHEN v.method IN ('direct') THEN 'subscriptions'
                    WHEN v.method IN ('even', 'fixed') THEN 'headcount'
                    ELSE v.driver_kind END
  AND d.ref_id = CASE WHEN v.driver_kind = 'licence_seats' THEN p.licence_pool_id
                      WHEN v.method = 'direct' OR v.driver_kind = 'tickets' THEN p.service_id
                      ELSE 0 END
WHERE p.period_id = %(period)s
"""

JOINED_SQL = (
    "SELECT p.id, d.agency_id, SUM(d.value)" + POOLS_TO_DRIVERS + "GROUP BY p.id, d.agency_id"
)


# (b') The same GROUP BY written as the run writes its lines: into a logged table shaped like
# the line table (its identity, indexes and check constraint), month after month, each month
# committed. What is left between the run and this is the split itself (the ranking that makes
# every pool sum to the öre, the shares) and the run's checks.
STORED_TABLE = "bench_baseline_lines"
STORED_SQL = (
    """
INSERT INTO {stored} (run_id, period_id, pool_id, key_version_id, agency_id, service_id,
                      driver_value, share, computed_ore, adjustment_ore, amount_ore)
SELECT 0, %(period)s, p.id, v.id, d.agency_id, p.service_id, SUM(d.value), 0, 0, 0, 0"""
    + POOLS_TO_DRIVERS
    + "GROUP BY p.id, v.id, p.service_id, d.agency_id"
)


def stored_baseline(periods: list[Period], tables: dict[str, str]) -> tuple[float, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STORED_TABLE}")
        cursor.execute(
            f"CREATE TABLE {STORED_TABLE} (LIKE {tables['line']} INCLUDING ALL)"  # noqa: S608
        )
    seconds, rows = 0.0, 0
    try:
        for period in periods:
            start = time.perf_counter()
            with connection.cursor() as cursor, transaction.atomic():
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute(
                    STORED_SQL.format(stored=STORED_TABLE, **tables), {"period": period.pk}
                )
                rows += cursor.rowcount
            seconds += time.perf_counter() - start
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STORED_TABLE}")
    return seconds, rows


def timed_sql(sql: str, params: dict) -> tuple[float, int]:
    """A baseline as the run is measured: in the server, with the run's work_mem, its rows
    written into a (temporary) table rather than carried to Python."""
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute("SET LOCAL work_mem = '64MB'")
        start = time.perf_counter()
        cursor.execute(f"CREATE TEMPORARY TABLE bench_baseline AS {sql}", params)  # noqa: S608
        rows = cursor.rowcount
        seconds = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_baseline")
        return seconds, rows


def run_all(periods: list[Period]) -> dict:
    per_month, checksums, lines = [], [], 0
    for period in periods:
        start = time.perf_counter()
        run = execute_run(AllocationRun.objects.create(period=period).pk)
        per_month.append(time.perf_counter() - start)
        if run.state != "done":
            raise AssertionError(f"run of {period} failed: {run.error}")
        checksums.append(run.checksum)
        lines += run.lines
    return {
        "seconds": sum(per_month),
        "per_month": per_month,
        "checksums": checksums,
        "lines": lines,
    }


def allocation(
    agencies: int = DEFAULT_AGENCIES, pools: int = DEFAULT_POOLS, months: int = DEFAULT_MONTHS
) -> dict:
    seeded = seed(agencies, pools, months)
    periods = seeded.pop("periods")
    ids = {"periods": [p.pk for p in periods]}
    tables = {
        "driver": DriverSnapshot._meta.db_table,
        "pool": CostPool._meta.db_table,
        "version": KeyVersion._meta.db_table,
        "line": AllocationLine._meta.db_table,
    }
    timed_sql(BASELINE_SQL.format(**tables), ids)  # warm the cache for both sides alike
    first = run_all(periods)
    second = run_all(periods)
    group_by_s, group_rows = timed_sql(BASELINE_SQL.format(**tables), ids)
    joined_s, joined_rows = 0.0, 0
    for period in periods:  # month by month, as the runs
        # The month as a value, not a list: the planner then reads the month's drivers by
        # index, as the split does, instead of sorting the whole table each month.
        seconds, rows = timed_sql(JOINED_SQL.format(**tables), {"period": period.pk})
        joined_s, joined_rows = joined_s + seconds, joined_rows + rows
    stored_s, stored_rows = stored_baseline(periods, tables)
    split_s, split_lines = 0.0, 0
    for period in periods:
        seconds, rows = timed_sql(split_sql(), {"period": period.pk, "month": period.month})
        split_s, split_lines = split_s + seconds, split_lines + rows
    return {
        **seeded,
        "pools_per_month": pools,
        "months": months,
        "lines": second["lines"],
        "run_first_s": first["seconds"],
        "run_rerun_s": second["seconds"],
        "run_month_p50_s": harness.median(first["per_month"]),
        "run_month_max_s": max(first["per_month"]),
        "checksums_repeat": first["checksums"] == second["checksums"],
        "group_by_s": group_by_s,
        "group_by_rows": group_rows,
        "joined_group_by_s": joined_s,
        "joined_group_by_rows": joined_rows,
        "stored_group_by_s": stored_s,
        "stored_group_by_rows": stored_rows,
        "split_select_s": split_s,
        "split_select_rows": split_lines,
        # The aim: the months' runs as finance makes them (every line new) against the raw
        # GROUP BY that produces the same rows, both written in the server.
        "ratio": harness.ratio(first["seconds"], joined_s),
        "ratio_rerun": harness.ratio(second["seconds"], joined_s),
        "ratio_split": harness.ratio(first["seconds"], split_s),
        # Like for like: the run against the GROUP BY stored as the run stores its lines, and
        # the split's SELECT against the GROUP BY's (both computing the same rows).
        "ratio_stored": harness.ratio(first["seconds"], stored_s),
        "ratio_select": harness.ratio(split_s, joined_s),
        "ratio_literal": harness.ratio(first["seconds"], group_by_s),
        "aim": AIM,
        "aim_met": harness.ratio(first["seconds"], joined_s) <= AIM,
    }


# --- Printing and the entry point -------------------------------------------------------------
def report(f: dict) -> str:
    out = [
        f"Seeded {f['agencies']} agencies x {f['pools_per_month']} pools x {f['months']} months: "
        f"{f['driver_rows']} driver rows in {f['seed_s']:.1f} s",
        "",
        harness.table(
            "One run per month (execute_run: upsert of the lines, sum check, checksum)",
            ["what", "rows", "seconds"],
            [
                ["all months' runs, first pass (every line new)", f["lines"], f["run_first_s"]],
                ["all months' runs, rerun (nothing to write)", f["lines"], f["run_rerun_s"]],
                [
                    "one month, median (first pass)",
                    f["lines"] // max(1, f["months"]),
                    f["run_month_p50_s"],
                ],
                [
                    "one month, slowest (first pass)",
                    f["lines"] // max(1, f["months"]),
                    f["run_month_max_s"],
                ],
                [
                    "(a) GROUP BY period, kind, ref over the drivers",
                    f["group_by_rows"],
                    f["group_by_s"],
                ],
                [
                    "(b) GROUP BY pool, agency (pools joined to drivers)",
                    f["joined_group_by_rows"],
                    f["joined_group_by_s"],
                ],
                [
                    "(b') (b) stored as the lines are (logged, same indexes, committed)",
                    f["stored_group_by_rows"],
                    f["stored_group_by_s"],
                ],
                [
                    "(c) the run's split SELECT alone (no write, check or checksum)",
                    f["split_select_rows"],
                    f["split_select_s"],
                ],
            ],
        ),
        "Baselines run in the server as the run does: same work_mem, their rows written to a "
        "temporary table.",
        f"checksums of the two passes {'identical' if f['checksums_repeat'] else 'DIFFER'}",
        f"run / (b) GROUP BY producing the same rows = {f['ratio']:.2f} "
        f"(aim <= {f['aim']}: {'met' if f['aim_met'] else 'NOT met'}); "
        f"rerun / (b) = {f['ratio_rerun']:.2f}",
        f"like for like: run / (b') = {f['ratio_stored']:.2f}; "
        f"(c) split SELECT / (b) GROUP BY = {f['ratio_select']:.2f}",
        f"run / (c) its own split SELECT = {f['ratio_split']:.2f}; "
        f"run / (a) GROUP BY of the drivers ({f['group_by_rows']} rows) = "
        f"{f['ratio_literal']:.2f}",
    ]
    return "\n".join(out)


def run(options) -> dict:
    figures = allocation(
        agencies=_env_int("SAMNAV_BENCH_ALLOC_AGENCIES", DEFAULT_AGENCIES),
        pools=_env_int("SAMNAV_BENCH_ALLOC_POOLS", DEFAULT_POOLS),
        months=_env_int("SAMNAV_BENCH_ALLOC_MONTHS", DEFAULT_MONTHS),
    )
    print(report(figures), flush=True)
    return figures
