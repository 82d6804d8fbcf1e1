"""Schema-level operations: clone from the template, drop, list applied migrations."""

from django.conf import settings
from django.db import connection
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_exists

_clone_function_ready = False


def schema_name_for(slug: str) -> str:
    return "agency_" + slug.replace("-", "_")


def clone_template(new_schema: str) -> None:
    """Copy the migrated template schema, its django_migrations rows included.

    django-tenants follows a clone with `migrate_schemas --fake`, which loads the whole
    migration graph only to record rows the clone already copied. Skipping it is what makes
    onboarding by clone cheap. The SQL clone function is installed once per process.
    """
    global _clone_function_ready
    cloner = CloneSchema()
    connection.set_schema_to_public()
    if not _clone_function_ready:
        cloner._create_clone_schema_function()
        _clone_function_ready = True
    if schema_exists(new_schema, case_sensitive=False):
        raise ValueError(f"schema {new_schema} already exists")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT clone_schema(%s, %s, 'DATA')", [settings.TENANT_BASE_SCHEMA, new_schema]
        )


def drop_schema(schema: str) -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def tenant_tables(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY table_name",
            [schema],
        )
        return [row[0] for row in cursor.fetchall()]
