"""Run the benchmarks: `python -m tests.bench [names...] [options]` (or `make bench`).

Runs every module tests/bench/bench_*.py, or only the named ones (`onboarding` or
`bench_onboarding`), against a dedicated database (samnav_bench by default; with several
benchmarks, one per benchmark, samnav_bench_<name>, each in a process of its own) created on
Samnav's PostgreSQL server for the run and dropped afterwards. The development database and
the test databases are never touched. Each module has `run(options) -> dict` and prints its
own table of figures.

Options also come from the environment: SAMNAV_BENCH_AGENCIES, SAMNAV_BENCH_SIZES,
SAMNAV_BENCH_SAMPLE.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
for _path in (str(REPO), str(REPO / "platform")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from tests.bench import harness  # noqa: E402


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of counts: {text}") from exc
    if not sizes or any(s < 0 for s in sizes):
        raise argparse.ArgumentTypeError(f"not a comma-separated list of counts: {text}")
    return sizes


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument(
        "--agencies",
        type=int,
        default=int(os.environ.get("SAMNAV_BENCH_AGENCIES", "20")),
        help="agencies onboarded per method (default 20)",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=_sizes(os.environ.get("SAMNAV_BENCH_SIZES", "21,200")),
        help="member-agency counts for migrate_schemas with nothing to migrate (default 21,200)",
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=int(os.environ.get("SAMNAV_BENCH_SAMPLE", "5")),
        help="agencies onboarded per method at each of the sizes (default 5; 0: none)",
    )
    parser.add_argument(
        "--database",
        default=harness.DEFAULT_DATABASE,
        help=f"dedicated database, dropped at the end (default {harness.DEFAULT_DATABASE})",
    )
    parser.add_argument(
        "--keep-database", action="store_true", help="do not drop the database at the end"
    )
    options = parser.parse_args(argv)
    if options.agencies < 1:
        parser.error("--agencies must be at least 1")
    if options.sample < 0:
        parser.error("--sample must be 0 or more")
    return options


def available() -> list[str]:
    package = Path(__file__).resolve().parent
    return sorted(
        info.name for info in pkgutil.iter_modules([str(package)]) if info.name.startswith("bench_")
    )


def selected(names: list[str]) -> list[str]:
    modules = available()
    if not names:
        return modules
    chosen = []
    for name in names:
        module = name if name.startswith("bench_") else f"bench_{name}"
        if module not in modules:
            raise SystemExit(f"no benchmark {name!r}; available: {', '.join(modules)}")
        chosen.append(module)
    return chosen


def each_in_its_own_process(modules: list[str], options: argparse.Namespace) -> int:
    """Several benchmarks: each runs in a process and on a database of its own, so that none
    sees another's rows (the allocation benchmark's agencies have no schemas; the load run
    grows the federation past what the scale benchmark starts from)."""
    import subprocess

    started, failed = time.perf_counter(), []
    for module in modules:
        name = module.removeprefix("bench_")
        command = [
            sys.executable, "-m", "tests.bench", name,
            f"--agencies={options.agencies}",
            f"--sizes={','.join(str(s) for s in options.sizes)}",
            f"--sample={options.sample}",
            f"--database={options.database}_{name}",
            *(["--keep-database"] if options.keep_database else []),
        ]  # fmt: skip
        if subprocess.run(command, cwd=REPO, check=False).returncode != 0:  # noqa: S603
            failed.append(name)
    print(f"\nAll: {time.perf_counter() - started:.1f} s", flush=True)
    if failed:
        print(f"FAILED: {', '.join(failed)}", flush=True)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    modules = selected(options.names)
    if len(modules) > 1:
        return each_in_its_own_process(modules, options)
    started = time.perf_counter()
    database = harness.setup_database(options.database)
    print(f"Benchmark database {database.name}; Python {sys.version.split()[0]}", flush=True)
    try:
        for name in modules:
            module = importlib.import_module(f"tests.bench.{name}")
            print(f"\n== {name} ==", flush=True)
            module.run(options)
    finally:
        if not options.keep_database:
            database.drop()
    print(f"\nTotal {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
