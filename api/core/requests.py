"""What a GraphQL request may look like before its document is parsed: the body's shape
(`query` a string, `variables` an object, `operationName` a string) and how deep its variables
nest. Anything else is a 400 with a message that says which, never a 500."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from graphene_django.views import HttpError


class RequestRefused(HttpError):
    """A 400 with a message and a code (the view writes both into the JSON errors)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(HttpResponseBadRequest(), message)
        self.code = code


def bad_request(message: str, code: str = "BAD_REQUEST") -> RequestRefused:
    return RequestRefused(message, code)


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects in `value` nest deeper than `limit` (no recursion: a
    hostile body cannot exhaust the stack here)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def checked_params(query: Any, variables: Any, operation_name: Any) -> None:
    """Refuse a request whose parts have the wrong type, or whose variables nest too deep."""
    if query is not None and not isinstance(query, str):
        raise bad_request(_("“query” must be a string."), "BAD_QUERY")
    if variables is not None and not isinstance(variables, dict):
        raise bad_request(_("“variables” must be an object."), "BAD_VARIABLES")
    if operation_name is not None and not isinstance(operation_name, str):
        raise bad_request(_("“operationName” must be a string."), "BAD_OPERATION_NAME")
    limit = settings.SAMNAV_GRAPHQL["MAX_VARIABLE_DEPTH"]
    if variables and nested_deeper_than(variables, limit):
        raise bad_request(
            _("“variables” nest deeper than %(limit)d levels.") % {"limit": limit},
            "VARIABLES_TOO_DEEP",
        )
