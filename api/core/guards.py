"""Argument guards run before every resolver that takes arguments (a graphene middleware on
the view), found by fuzzing the API (tests/security/test_fuzz_schemathesis.py):

- an explicit `null` for an argument that has a default gets the default (GraphQL passes the
  null through, and resolvers written for the default then fail with a TypeError);
- text with NUL characters is refused (PostgreSQL cannot store them; psycopg raised);
- a negative `offset` on a connection is refused (Django refuses negative slices);
- an `offset` with an `after` that is not a cursor is refused (graphene-django adds None);
- a date or datetime anywhere in the arguments must lie within the sensible range
  (services/validation.py: fifty years either side of today), so year 1 or 9999 never reaches
  date arithmetic or the database. The domain's actions check the same range, and narrower
  ones where they have them (a booking horizon).

Each refusal is a GraphQL error with a code, like the other input errors, instead of an
internal exception's text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext as _
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError, Undefined
from graphql_relay import cursor_to_offset

from services.validation import date_range_message, in_sensible_range, sensible_range

BAD_INPUT = "BAD_USER_INPUT"
DATE_CODE = "DATE_OUT_OF_RANGE"


def _has_nul(value) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return False


def _dates(value: object, path: str) -> Iterator[tuple[dt.date, str]]:
    """Every date and datetime in an argument's value, with its camelCase path."""
    pending = [(value, path)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, dt.date):
            yield item, where
        elif isinstance(item, dict):
            pending.extend((v, f"{where}.{to_camel_case(k)}") for k, v in item.items())
        elif isinstance(item, list | tuple):
            pending.extend((v, f"{where}.{i}") for i, v in enumerate(item))


def _refuse(message: str, field: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": BAD_INPUT, "field": field})


def guard_arguments(info, args: dict) -> dict:
    """`args` with defaults restored for explicit nulls; raises GraphQLError on bad input."""
    field_def = info.parent_type.fields.get(info.field_name)
    if field_def is not None:
        for name, arg_def in field_def.args.items():
            key = arg_def.out_name or name
            if (
                key in args
                and args[key] is None
                and arg_def.default_value is not Undefined
                and arg_def.default_value is not None
            ):
                args = {**args, key: arg_def.default_value}
    for key, value in args.items():
        if _has_nul(value):
            raise _refuse(_("Text may not contain NUL characters."), key)
        for day, where in _dates(value, to_camel_case(key)):
            if not in_sensible_range(day):
                raise GraphQLError(
                    date_range_message(*sensible_range()),
                    extensions={"code": DATE_CODE, "field": where},
                )
    offset = args.get("offset")
    if isinstance(offset, int):
        if offset < 0:
            raise _refuse(_("offset must be zero or more."), "offset")
        after = args.get("after")
        if after is not None and cursor_to_offset(after) is None:
            raise _refuse(_("after is not a cursor of this connection."), "after")
    return args


class ArgumentGuardMiddleware:
    def resolve(self, next_, root, info, **args):
        if args:
            args = guard_arguments(info, args)
        return next_(root, info, **args)
