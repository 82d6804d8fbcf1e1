"""Walking the GraphQL schema for the generated security tests: the Node types, the root
fields, a selection of every `id` below a field, placeholder values for required arguments,
and a fingerprint of the database to show that a refused call changed nothing."""

from __future__ import annotations

import base64
import hashlib
import re

from django.db import connection
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    get_named_type,
)

from api.schema import schema

SCHEMA = schema.graphql_schema
MAX_LEVELS = 4  # object levels below a root field that the harvest selection follows

# Tables whose rows change on every request, whatever it does.
VOLATILE_TABLES = {"django_session", "tenants_apitoken", "tenants_user"}  # sign-in bookkeeping


def node_types() -> list[str]:
    return sorted(t.name for t in SCHEMA.get_implementations(SCHEMA.get_type("Node")).objects)


def query_fields() -> dict:
    return dict(SCHEMA.query_type.fields)


def mutation_fields() -> dict:
    return dict(SCHEMA.mutation_type.fields)


def type_of_global_id(value: str) -> str | None:
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except ValueError:
        return None
    name, sep, _rest = decoded.partition(":")
    if not sep:
        return None
    # central-host references to agency rows: Agency<Type>:<agency pk>.<pk> (api/core/refs.py)
    known = SCHEMA.get_type(name) or (name.startswith("Agency") and SCHEMA.get_type(name[6:]))
    return name if known else None


ID_PATTERN = re.compile(r'"(?:id|[a-zA-Z]+Id)":\s*"([A-Za-z0-9+/=]+)"')


def global_ids_in(text: str) -> set[str]:
    return {m for m in ID_PATTERN.findall(text) if type_of_global_id(m)}


# --- selections -------------------------------------------------------------------------------


def selection(type_, level: int = 0) -> str:
    """`{ ... }` for a field of `type_`: its `id`, every ID-typed scalar, and the same one level
    further down through fields that need no arguments; "" for a scalar or enum."""
    named = get_named_type(type_)
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return ""
    if isinstance(named, GraphQLUnionType):
        parts = [f"... on {t.name} {selection(t, level)}" for t in named.types]
        return "{ __typename " + " ".join(parts) + " }"
    parts = ["__typename"]
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
    for name, field in named.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLScalarType):
            if inner.name == "ID":
                parts.append(name)
        elif (
            isinstance(inner, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)
            and level + 1 < MAX_LEVELS
            and not name.startswith("__")
            and (level == 0 or "first" not in field.args)  # nested pages multiply the cost
        ):
            parts.append(f"{name} {selection(inner, level + 1)}")
    return "{ " + " ".join(parts) + " }"


# --- argument values --------------------------------------------------------------------------

SCALAR_VALUES = {
    "String": "x",
    "Int": 1,
    "Ore": 1,
    "Float": 1.0,
    "Boolean": True,
    "Date": "2026-11-02",
    "DateTime": "2026-11-02T10:00:00+01:00",
    "Decimal": "1",
    "Time": "10:00:00",
    "JSONString": "{}",
    "UUID": "00000000-0000-0000-0000-000000000001",
}


def placeholder(type_, ids: dict[str, str], path: str = ""):
    """A value of `type_` for a required argument: `ids[path]` (or `ids["*"]`) for an ID, the
    first value of an enum, one item for a list, every required field of an input object."""
    if isinstance(type_, GraphQLNonNull):
        return placeholder(type_.of_type, ids, path)
    if isinstance(type_, GraphQLList):
        return [placeholder(type_.of_type, ids, path)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: placeholder(field.type, ids, f"{path}.{name}" if path else name)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) or f"{path}.{name}".lstrip(".") in ids
        }
    if type_.name == "ID":
        return ids.get(path, ids.get("*", "QmFkOjA="))
    if type_.name in SCALAR_VALUES:
        return SCALAR_VALUES[type_.name]
    raise AssertionError(f"no placeholder for scalar {type_.name}")


def operation(kind: str, name: str, field, ids: dict[str, str]) -> tuple[str, dict]:
    """A document calling root field `name` with every required argument (and the arguments
    named in `ids`) as variables, and those variables."""
    args = {
        arg: a
        for arg, a in field.args.items()
        if isinstance(a.type, GraphQLNonNull)
        or arg in ids
        or any(k.startswith(arg + ".") for k in ids)
    }
    declared = ", ".join(f"${arg}: {a.type}" for arg, a in args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in args)
    variables = {arg: placeholder(a.type, ids, arg) for arg, a in args.items()}
    head = f"{kind} Probe({declared})" if declared else kind
    call = f"{name}({passed})" if passed else name
    return f"{head} {{ {call} {selection(field.type)} }}", variables


# --- database fingerprint ---------------------------------------------------------------------


def fingerprint(schemas: list[str]) -> dict[str, str]:
    """An md5 of every table's rows in `schemas`, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema = ANY(%s) AND table_type = 'BASE TABLE' ORDER BY 1, 2",
            [schemas],
        )
        tables = [(s, t) for s, t in cursor.fetchall() if t not in VOLATILE_TABLES]
        parts = [
            f"SELECT '{s}.{t}', md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) "
            f'FROM "{s}"."{t}" r'
            for s, t in tables
        ]
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def short(value: str) -> str:
    return hashlib.sha1(value.encode()).hexdigest()[:8]
