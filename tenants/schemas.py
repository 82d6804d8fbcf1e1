"""Schema-level operations: the connection's current schema, clone from the template, drop,
list the tables."""

from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_exists

# A lean clone for a template that holds only tables (no views, functions or data but the
# migration records): every table LIKE its template twin INCLUDING ALL (columns, defaults,
# identity, checks, indexes), then the foreign keys, then django_migrations' rows. One round
# trip. django-tenants' general clone_schema() copies far more kinds of objects and took about
# twice as long here (see docs/decisions/2026-11-22-template-clone.md).
CLONE_FUNCTION = """
CREATE OR REPLACE FUNCTION public.samnav_clone_schema_v4(src text, dst text) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  old_path text := current_setting('search_path');
  tbl text;
  stmt text;
  ddl text[];
BEGIN
  EXECUTE format('CREATE SCHEMA %I', dst);
  FOR tbl IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = src AND c.relkind = 'r' ORDER BY c.relname LOOP
    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING ALL EXCLUDING INDEXES)',
                   dst, tbl, src, tbl);
  END LOOP;
  -- With only the template on the path, its own tables print unqualified and public's
  -- qualified; replayed with only the new schema on the path they point at the right tables.
  -- Names are kept, so later migrations find the constraints and indexes they alter.
  PERFORM set_config('search_path', quote_ident(src), true);
  SELECT array_agg(sql ORDER BY step, name) INTO ddl FROM (
    SELECT CASE con.contype WHEN 'f' THEN 2 ELSE 0 END AS step, con.conname AS name,
           format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.relname, con.conname,
                  pg_get_constraintdef(con.oid)) AS sql
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = src AND con.contype IN ('p', 'u', 'x', 'f')
    UNION ALL
    SELECT 1, i.relname,  -- index definitions always name the schema: drop it
           replace(pg_get_indexdef(x.indexrelid), ' ON ' || quote_ident(src) || '.', ' ON ')
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_namespace n ON n.oid = i.relnamespace
     WHERE n.nspname = src
       -- an index owned by a constraint comes with it; looked up by table, since pg_constraint
       -- has no index on conindid (this query: 0.07 s -> 0.04 s at 567 agency schemas)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                        WHERE con.conrelid = x.indrelid AND con.conindid = x.indexrelid
                          AND con.contype IN ('p', 'u', 'x'))
  ) AS todo;
  PERFORM set_config('search_path', quote_ident(dst), true);
  FOREACH stmt IN ARRAY coalesce(ddl, ARRAY[]::text[]) LOOP
    EXECUTE stmt;
  END LOOP;
  EXECUTE format('INSERT INTO %I.django_migrations SELECT * FROM %I.django_migrations',
                 dst, src);
  PERFORM setval(pg_get_serial_sequence(quote_ident(dst) || '.django_migrations', 'id'),
                 (SELECT coalesce(max(id), 1) FROM django_migrations));
  PERFORM set_config('search_path', old_path, true);
END
$fn$;
"""


def current_schema() -> str:
    """The schema the connection is set to (django-tenants' connection wrapper keeps it)."""
    return connection.schema_name  # type: ignore[attr-defined]  # django-tenants' wrapper


def schema_name_for(slug: str) -> str:
    return "agency_" + slug.replace("-", "_")


def clone_template(new_schema: str) -> None:
    """Copy the migrated template schema with its migration records, in one SQL call.

    django-tenants follows its clone with `migrate_schemas --fake`, which loads the whole
    migration graph only to record rows the clone already copied; this skips both.
    """
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' wrapper
    with connection.cursor() as cursor:
        # Checked in the catalogue, not remembered: a rolled-back transaction drops it again.
        cursor.execute("SELECT to_regprocedure('public.samnav_clone_schema_v4(text,text)')")
        if cursor.fetchone()[0] is None:
            cursor.execute(CLONE_FUNCTION)
        if schema_exists(new_schema, case_sensitive=False):
            raise ValueError(f"schema {new_schema} already exists")
        cursor.execute(
            "SELECT public.samnav_clone_schema_v4(%s, %s)",
            [settings.TENANT_BASE_SCHEMA, new_schema],
        )


def drop_schema(schema: str) -> None:
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' wrapper
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
