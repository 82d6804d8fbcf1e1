"""The committed schema.graphql is the schema the code serves (design.md §12)."""

from __future__ import annotations

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from graphql import print_schema

from api.schema import schema

SCHEMA_FILE = settings.BASE_DIR / "schema.graphql"
REGENERATE = "make schema"


def _printed() -> str:
    # Exactly what graphene-django's graphql_schema command writes to a .graphql file:
    # print_schema of the graphql-core schema, with no trailing newline added.
    return print_schema(schema.graphql_schema)


def test_the_committed_schema_matches_the_code():
    # given the committed schema file and the schema the code builds
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    # then they are identical, or the message says how to regenerate the file
    assert committed == _printed(), (
        f"schema.graphql is out of date with api.schema.schema; run: {REGENERATE}"
    )


def test_the_comparison_is_what_the_command_writes():
    # given the command's own output (to stdout, the same print_schema call as for a file)
    out = StringIO()
    call_command("graphql_schema", schema="api.schema.schema", out="-.graphql", stdout=out)
    # then the test compares against exactly that text (BaseCommand adds one newline)
    assert out.getvalue() == _printed() + "\n"
