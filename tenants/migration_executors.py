"""`migrate_schemas` that only visits agencies with something to apply.

django-tenants runs a full `migrate` in every schema, even when nothing is pending: the
migration graph is loaded and checked per schema (stack-notes: 900 tenants, 12 minutes for a
no-op). Here, one pass reads every schema's applied migrations (batched UNION queries) and
drops the schemas that already have every migration on disk, and schemas that no longer exist
(offboarded agencies keep their row for history but lose their schema). Selected with the
GET_EXECUTOR_FUNCTION setting; plain `--executor=multiprocessing` still parallelises the rest.
"""

from __future__ import annotations

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors import get_executor as django_tenants_executor
from django_tenants.migration_executors.multiproc import MultiprocessingExecutor
from django_tenants.migration_executors.standard import StandardExecutor
from django_tenants.utils import get_public_schema_name

BATCH = 200
EXACT_OPTIONS = (
    "app_label",
    "migration_name",
    "fake",
    "fake_initial",
    "plan",
    "check_unapplied",
    "prune",
    "run_syncdb",
)


def disk_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def applied_by_schema(schemas: list[str]) -> dict[str, set[tuple[str, str]]]:
    applied: dict[str, set[tuple[str, str]]] = {s: set() for s in schemas}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables "
            "WHERE table_name = 'django_migrations' AND table_schema = ANY(%s)",
            [schemas],
        )
        with_table = [row[0] for row in cursor.fetchall()]
        for i in range(0, len(with_table), BATCH):
            batch = with_table[i : i + BATCH]
            # Schema names come from information_schema above, not from input.
            sql = " UNION ALL ".join(
                f'SELECT %s, app, name FROM "{schema}".django_migrations'  # noqa: S608
                for schema in batch
            )
            cursor.execute(sql, batch)
            for schema, app, name in cursor.fetchall():
                applied[schema].add((app, name))
    return applied


def existing_schemas(schemas: list[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [schemas])
        return {row[0] for row in cursor.fetchall()}


def schemas_needing_migration(tenants, options) -> list[str]:
    schemas = [t for t in tenants]
    public = get_public_schema_name()
    if schemas == [public] or any(options.get(o) for o in EXACT_OPTIONS):
        return schemas
    present = existing_schemas(schemas)
    schemas = [s for s in schemas if s in present]
    wanted = disk_migrations()
    applied = applied_by_schema(schemas)
    return [s for s in schemas if not wanted <= applied[s]]


class _SkippingMixin:
    def run_migrations(self, tenants=None):
        tenants = tenants or []
        todo = schemas_needing_migration(tenants, self.options)
        skipped = len(list(tenants)) - len(todo)
        if skipped and int(self.options.get("verbosity", 1)) >= 1:
            print(f"[samnav] {skipped} schema(s) up to date, {len(todo)} to migrate")
        if todo:
            super().run_migrations(tenants=todo)


class SkippingStandardExecutor(_SkippingMixin, StandardExecutor):
    pass


class SkippingMultiprocessingExecutor(_SkippingMixin, MultiprocessingExecutor):
    pass


def get_executor(codename=None):
    base = django_tenants_executor(codename)
    if base is MultiprocessingExecutor:
        return SkippingMultiprocessingExecutor
    if base is StandardExecutor:
        return SkippingStandardExecutor
    return base
