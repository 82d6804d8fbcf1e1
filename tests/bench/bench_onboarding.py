"""Onboarding by template clone against django-tenants' own creation, and `migrate_schemas`
with nothing to migrate at a small and a large federation.

Run: `make bench` or
`python -m tests.bench onboarding [--agencies 20] [--sizes 21,200] [--sample 5]`.

Measured in one run, on a dedicated database:
1. onboarding per agency (`services.agencies.actions.onboard_agency`, the real write path) with the
   schema cloned from the template (Samnav's way), and the same call with the schema created
   by django-tenants' `TenantMixin.create_schema`, running every migration into an empty schema
   (migrate-based), and, for reference, django-tenants' own clone (clone, then
   `migrate_schemas --fake`);
2. `migrate_schemas` with nothing to migrate, at each size, with Samnav's skipping executor
   (the default) and with django-tenants' plain executor; then onboarding again at that size
   (a few agencies by clone and migrate-based), since clone time can grow with the number of
   schemas in the database (django-tenants' clone function reads information_schema).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_tenants.management.commands import migrate_schemas as migrate_schemas_command
from django_tenants.migration_executors import get_executor as plain_get_executor
from django_tenants.models import TenantMixin
from django_tenants.utils import get_public_schema_name
from stdnum import luhn

from services.agencies import actions
from tenants.migration_executors import applied_by_schema, disk_migrations
from tenants.migration_executors import get_executor as skipping_get_executor
from tenants.models import Agency
from tenants.schemas import tenant_tables
from tests.bench import harness

SLUG_PREFIX = "bench-"
DEFAULT_AGENCIES = 20
DEFAULT_SIZES = (21, 200)
AIM_CLONE_VS_MIGRATE = 0.2
METHODS = ("clone", "migrate", "django_tenants_clone")


# --- Agencies ---------------------------------------------------------------------------------
def _next_index() -> int:
    last = Agency.objects.filter(slug__startswith=SLUG_PREFIX).order_by("-slug").first()
    return int(last.slug.removeprefix(SLUG_PREFIX)) + 1 if last else 1


def agency_input(index: int) -> actions.AgencyInput:
    """A valid agency: slug bench-0001, organisation number 20219 0001 with a Luhn digit."""
    body = f"20219{index:04d}"
    return actions.AgencyInput(
        name=f"Benchmark agency {index}",
        slug=f"{SLUG_PREFIX}{index:04d}",
        org_number=body + luhn.calc_check_digit(body),
        headcount=100,
    )


def onboard_next() -> Agency:
    return actions.onboard_agency(None, agency_input(_next_index()))


@contextlib.contextmanager
def django_tenants_creation(fake_migrations: bool) -> Iterator[None]:
    """Agency schemas created the way django-tenants creates them, with its plain executor.

    fake_migrations=False: CREATE SCHEMA and run every migration into it (migrate-based).
    fake_migrations=True: clone the template, then `migrate_schemas --fake` on the clone.
    """

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        return TenantMixin.create_schema(self, check_if_exists, sync_schema, verbosity=0)

    with (
        override_settings(TENANT_CREATION_FAKES_MIGRATIONS=fake_migrations),
        mock.patch.object(Agency, "create_schema", create_schema),
        mock.patch.object(migrate_schemas_command, "GET_EXECUTOR_FUNCTION", plain_get_executor),
    ):
        yield


def _creation(method: str):
    if method == "clone":
        return contextlib.nullcontext()
    if method == "migrate":
        return django_tenants_creation(fake_migrations=False)
    if method == "django_tenants_clone":
        return django_tenants_creation(fake_migrations=True)
    raise ValueError(method)


def _check_fully_migrated(agency: Agency, started_at: float, method: str) -> None:
    """The new schema has the template's tables and every migration on disk; a migrate-based
    schema recorded its migrations itself (after its onboarding began), not by copying."""
    template = Agency.objects.get(kind="template")
    if tenant_tables(agency.schema_name) != tenant_tables(template.schema_name):
        raise AssertionError(f"{agency.schema_name}: tables differ from the template")
    if not disk_migrations() <= applied_by_schema([agency.schema_name])[agency.schema_name]:
        raise AssertionError(f"{agency.schema_name}: migrations missing")
    if method == "migrate":
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT min(applied) FROM "{agency.schema_name}".django_migrations'  # noqa: S608
            )
            first = cursor.fetchone()[0].timestamp()
        if first < started_at:
            raise AssertionError(f"{agency.schema_name}: migrations were not run into it")


def onboard_many(method: str, count: int, warmup: int = 1) -> list[float]:
    """Seconds per agency for `count` onboardings, after `warmup` untimed ones."""
    seconds = []
    with _creation(method), harness.quiet():
        for i in range(warmup + count):
            started_at = time.time()
            elapsed, agency = harness.timed(onboard_next)
            _check_fully_migrated(agency, started_at, method)
            if i >= warmup:
                seconds.append(elapsed)
    return seconds


def onboarding(agencies: int = DEFAULT_AGENCIES, warmup: int = 1) -> dict:
    """Onboarding time per agency by each method; ratios against migrate-based creation."""
    figures: dict = {"agencies": agencies, "migrations_per_schema": len(disk_migrations())}
    for method in METHODS:
        seconds = onboard_many(method, agencies, warmup)
        figures[method] = {
            "mean_s": harness.mean(seconds),
            "p95_s": harness.percentile(seconds, 95),
            "total_s": sum(seconds),
        }
    migrate_mean = figures["migrate"]["mean_s"]
    figures["ratio_clone_vs_migrate"] = harness.ratio(figures["clone"]["mean_s"], migrate_mean)
    figures["ratio_django_tenants_clone_vs_migrate"] = harness.ratio(
        figures["django_tenants_clone"]["mean_s"], migrate_mean
    )
    figures["aim_clone_vs_migrate"] = AIM_CLONE_VS_MIGRATE
    figures["aim_met"] = figures["ratio_clone_vs_migrate"] <= AIM_CLONE_VS_MIGRATE
    return figures


# --- migrate_schemas with nothing to migrate --------------------------------------------------
def resize(members: int) -> list[float]:
    """Top up by onboarding (template clone) or remove benchmark agencies, to `members`
    member agencies (central IT and the template are not counted). Returns the seconds of
    each onboarding it did."""
    current = Agency.objects.members().count()
    seconds = []
    if current < members:
        with harness.quiet():
            for _ in range(members - current):
                seconds.append(harness.timed(onboard_next)[0])
    elif current > members:
        extra = Agency.objects.members().filter(slug__startswith=SLUG_PREFIX).order_by("-id")
        extra = list(extra[: current - members])
        if len(extra) < current - members:
            raise ValueError(f"cannot shrink to {members}: other agencies exist")
        connection.set_schema_to_public()
        for agency in extra:
            agency.delete(force_drop=True)
    if Agency.objects.members().count() != members:
        raise AssertionError(f"expected {members} member agencies")
    return seconds


def _schemas() -> list[str]:
    public = get_public_schema_name()
    return list(Agency.objects.exclude(schema_name=public).values_list("schema_name", flat=True))


def migrate_noop(executor: str) -> float:
    """Seconds for `migrate_schemas` (public and every agency) with nothing to migrate."""
    get = {"skipping": skipping_get_executor, "plain": plain_get_executor}[executor]
    with (
        mock.patch.object(migrate_schemas_command, "GET_EXECUTOR_FUNCTION", get),
        harness.quiet(),
    ):
        elapsed, _ = harness.timed(
            lambda: call_command("migrate_schemas", interactive=False, verbosity=0)
        )
    connection.set_schema_to_public()
    return elapsed


def migrate_schemas_noop(sizes=DEFAULT_SIZES, repeat_small: int = 3, sample: int = 5) -> dict:
    """`migrate_schemas` seconds at each size with the skipping and the plain executor, then
    onboarding at that size: `sample` agencies by clone and `sample` migrate-based.

    Sizes up to 50 agencies are run `repeat_small` times and the median is kept; larger ones
    once. The sampled onboardings come after the timing, so they do not change its count.
    """
    wanted = disk_migrations()
    figures: dict = {"sizes": {}, "sample": sample}
    for size in sorted(sizes):
        resize(size)
        schemas = _schemas()
        applied = applied_by_schema(schemas)
        if any(not wanted <= applied[s] for s in schemas):
            raise AssertionError("a schema has migrations to apply: not a no-op run")
        runs = repeat_small if size <= 50 else 1
        row = {"schemas": len(schemas) + 1, "runs": runs}  # + public
        for executor in ("skipping", "plain"):
            row[f"{executor}_s"] = harness.median([migrate_noop(executor) for _ in range(runs)])
        row["ratio_skipping_vs_plain"] = harness.ratio(row["skipping_s"], row["plain_s"])
        if sample:
            row["onboard_clone_s"] = harness.mean(onboard_many("clone", sample, warmup=0))
            row["onboard_migrate_s"] = harness.mean(onboard_many("migrate", sample, warmup=0))
            row["ratio_clone_vs_migrate"] = harness.ratio(
                row["onboard_clone_s"], row["onboard_migrate_s"]
            )
        figures["sizes"][size] = row
    ordered = sorted(figures["sizes"])
    if len(ordered) >= 2:
        small, large = figures["sizes"][ordered[0]], figures["sizes"][ordered[-1]]
        figures["growth"] = {
            "from": ordered[0],
            "to": ordered[-1],
            "skipping": harness.ratio(large["skipping_s"], small["skipping_s"]),
            "plain": harness.ratio(large["plain_s"], small["plain_s"]),
        }
    return figures


# --- Printing and the entry point -------------------------------------------------------------
def report(onboard: dict, migrate: dict) -> str:
    n = onboard["agencies"]
    labels = {
        "clone": "template clone (Samnav)",
        "migrate": "migrate-based (django-tenants)",
        "django_tenants_clone": "clone + migrate --fake (django-tenants)",
    }
    rows = [
        [
            labels[m],
            onboard[m]["mean_s"],
            onboard[m]["p95_s"],
            harness.ratio(onboard[m]["mean_s"], onboard["migrate"]["mean_s"]),
        ]
        for m in METHODS
    ]
    out = [
        harness.table(
            f"Onboarding per agency, {n} agencies per method "
            f"({onboard['migrations_per_schema']} migrations per schema)",
            ["method", "mean s", "p95 s", "x migrate"],
            rows,
        ),
        f"clone / migrate-based: {onboard['ratio_clone_vs_migrate']:.3f} "
        f"(aim <= {AIM_CLONE_VS_MIGRATE}: {'met' if onboard['aim_met'] else 'NOT met'})",
        "",
    ]
    rows = [
        [size, row["schemas"], row["runs"], row["skipping_s"], row["plain_s"]]
        + [row["ratio_skipping_vs_plain"]]
        for size, row in sorted(migrate["sizes"].items())
    ]
    out.append(
        harness.table(
            "migrate_schemas with nothing to migrate "
            "(schemas = agencies + template + public; median of `runs` runs)",
            ["agencies", "schemas", "runs", "skipping s", "plain s", "skipping / plain"],
            rows,
        )
    )
    if "growth" in migrate:
        g = migrate["growth"]
        out.append(
            f"{g['to']} vs {g['from']} agencies: skipping x{g['skipping']:.2f}, "
            f"plain x{g['plain']:.2f}"
        )
    sampled = [
        (size, row) for size, row in sorted(migrate["sizes"].items()) if "onboard_clone_s" in row
    ]
    if sampled:
        out.append("")
        out.append(
            harness.table(
                "Onboarding at each size (mean s per agency, "
                f"{migrate.get('sample', '?')} agencies per method)",
                ["agencies", "clone s", "migrate-based s", "clone / migrate"],
                [
                    [size, row["onboard_clone_s"], row["onboard_migrate_s"]]
                    + [row["ratio_clone_vs_migrate"]]
                    for size, row in sampled
                ],
            )
        )
    return "\n".join(out)


def run(options) -> dict:
    agencies = getattr(options, "agencies", DEFAULT_AGENCIES)
    sizes = getattr(options, "sizes", DEFAULT_SIZES)
    sample = getattr(options, "sample", 5)
    onboard = onboarding(agencies)
    migrate = migrate_schemas_noop(sizes, sample=sample)
    print(report(onboard, migrate), flush=True)
    return {"onboarding": onboard, "migrate_schemas_noop": migrate}
