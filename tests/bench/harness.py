"""Small helpers shared by the benchmarks: timing, percentiles, a figures table, and a
dedicated benchmark database that is neither the development database nor a test database.

Nothing here imports Django at module level: `setup_database()` must run before Django is set
up, and the benchmark modules are imported after it.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = "samnav_bench"
DEFAULT_SETTINGS = "config.settings.test"


# --- Timing -----------------------------------------------------------------------------------
def wait_for_autovacuum(timeout: float = 300.0) -> dict:
    """Wait until no autovacuum worker runs on this database (at most `timeout` seconds).

    Seeding hundreds of schemas leaves thousands of fresh tables that autovacuum then visits
    one by one for minutes; measured meanwhile, a request's tail is that work on the other
    core, not Samnav's. Returns the workers seen at the start and the seconds waited."""
    from django.db import connection

    sql = (
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE backend_type = 'autovacuum worker' AND datname = current_database()"
    )
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        seen = busy = cursor.fetchone()[0]
        while busy and time.perf_counter() - start < timeout:
            time.sleep(1.0)
            cursor.execute(sql)
            busy = cursor.fetchone()[0]
    return {"autovacuum_workers": seen, "waited_s": time.perf_counter() - start, "busy": busy}


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Run `fn` once; return (seconds, its result), measured with time.perf_counter."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Swallow what management commands print, so it neither clutters nor slows the table."""
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield


def percentile(values: Sequence[float], pct: float) -> float:
    """The pct-th percentile (0..100), interpolating linearly between closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def mean(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("mean of no values")
    return sum(values) / len(values)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.inf


# --- Printing ---------------------------------------------------------------------------------
def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table; numbers are right-aligned, floats shown with 3 decimals, None as -."""

    def cell(value: object) -> str:
        if value is None:
            return "-"
        if isinstance(value, float):
            return "inf" if math.isinf(value) else f"{value:.3f}"
        return str(value)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [
        max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h))
        for i, h in enumerate(header)
    ]
    numeric = [
        bool(rows) and all(isinstance(row[i], int | float | None) for row in rows)
        for i in range(len(header))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [title, line([str(h) for h in header]), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


# --- The benchmark database -------------------------------------------------------------------
@dataclass
class BenchDatabase:
    name: str
    url: str
    admin_url: str

    def drop(self) -> None:
        """Close Django's connections and drop the benchmark database."""
        from django.db import connections

        connections.close_all()
        _drop(self.admin_url, self.name)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _drop(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _check_name(name: str) -> None:
    development = {"samnav", "postgres", "template0", "template1"}
    if name in development or name.startswith("test_") or not name.replace("_", "").isalnum():
        raise ValueError(
            f"refusing to use {name!r} as the benchmark database: pick a dedicated name "
            f"such as {DEFAULT_DATABASE}"
        )


def setup_database(
    name: str = DEFAULT_DATABASE, settings_module: str = DEFAULT_SETTINGS
) -> BenchDatabase:
    """Create a fresh database `name` on Samnav's server, point Django at it, set Django up,
    migrate public and build the federation's two fixed rows (central IT and the template).

    Must run before anything imports Django models. The caller drops it with `.drop()`.
    """
    _check_name(name)
    for path in (str(REPO / "platform"), str(REPO)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import psycopg

    from config.embedded_db import ensure_database_url

    base_url = ensure_database_url()  # the configured server, or the embedded one
    admin_url = _with_database(base_url, "postgres")
    bench_url = _with_database(base_url, name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module

    import django
    from django.core.management import call_command

    django.setup()
    from tenants.bootstrap import ensure_federation

    with quiet():
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        ensure_federation()
    return BenchDatabase(name=name, url=bench_url, admin_url=admin_url)
