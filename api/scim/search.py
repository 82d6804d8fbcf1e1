"""Listing and searching Users and Groups (RFC 7644 §3.4.2, §3.4.3): filter, startIndex and
count, and the attributes and excludedAttributes of every answer. For Users, `userName`,
`externalId` and `emails.value` / `emails[value eq ...]` equality run in the database (for
Groups: api/scim/groups.py); any other filter is evaluated by scim2-models."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pydantic
from django.db.models import QuerySet
from django.http import HttpRequest
from scim2_models import Context, ResponseParameters, SCIMException, ScimFilter, User

from api.scim import resources
from api.scim.errors import ScimError
from services.people.models import Person

_SIMPLE = re.compile(
    r'^\s*(userName|externalId|emails\.value|emails\[value)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\]?\s*$',
    re.IGNORECASE,
)
_COLUMNS = {"username": "email", "externalid": "external_id", "emails.value": "email"}


def params(request: HttpRequest) -> dict[str, Any]:
    """The query parameters of a GET."""
    return {key: request.GET.get(key) for key in request.GET}


def whole_number(given: dict[str, Any], name: str, default: int) -> int:
    raw = given.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        raise ScimError(400, f"{name} must be a whole number.", "invalidValue")
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise ScimError(400, f"{name} must be a whole number.", "invalidValue") from exc


def dump(resource: Any, given: dict[str, Any], context: Context) -> dict[str, Any]:
    """A User or Group as the answer carries it, with the request's attributes and
    excludedAttributes."""
    query = {
        key: given[key]
        for key in ("attributes", "excludedAttributes")
        if given.get(key) not in (None, "", [])
    }
    try:
        model: Any = ResponseParameters[type(resource)]  # type: ignore[misc]
        parameters = model.model_validate(query) if query else None
        return resource.model_dump(scim_ctx=context, response_parameters=parameters)
    except (SCIMException, ValueError) as exc:
        raise ScimError(
            400, "attributes or excludedAttributes name no attribute.", "invalidValue"
        ) from exc


def find(
    rows: QuerySet[Any],
    given: dict[str, Any],
    *,
    model: Any,
    to_resource: Callable[[Any], Any],
    simple: re.Pattern[str],
    column_of: Callable[[str], str],
) -> list[Any]:
    """The resources of `rows` that match the filter of `given`: an equality `simple` matches
    runs in the database (on `column_of` its attribute); any other filter is evaluated by
    scim2-models on every row."""
    text = given.get("filter") or ""
    if not isinstance(text, str):
        raise ScimError(400, "filter must be text.", "invalidFilter")
    equality = simple.match(text) if text else None
    if equality:
        try:
            value = json.loads(f'"{equality.group(2)}"')
        except ValueError as exc:
            raise ScimError(400, "The filter is invalid.", "invalidFilter") from exc
        column = column_of(equality.group(1))
        return [to_resource(r) for r in rows.filter(**{f"{column}__iexact": value})]
    if not text:
        return [to_resource(r) for r in rows]
    try:
        scim_filter = ScimFilter[model](text)
        scim_filter.match(model(), strict=True)  # an attribute the resource lacks: invalid
        return [r for r in (to_resource(row) for row in rows) if scim_filter.match(r, strict=True)]
    except (SCIMException, ValueError, pydantic.ValidationError) as exc:
        raise ScimError(400, "The filter is invalid.", "invalidFilter") from exc


def list_response(found: list[Any], given: dict[str, Any]) -> dict[str, Any]:
    """A ListResponse of one page of `found` (startIndex and count of `given`)."""
    start = max(whole_number(given, "startIndex", 1), 1)
    count = min(max(whole_number(given, "count", resources.MAX_RESULTS), 0), resources.MAX_RESULTS)
    page = found[start - 1 : start - 1 + count]
    return {
        "schemas": [resources.LIST_SCHEMA],
        "totalResults": len(found),
        "startIndex": start,
        "itemsPerPage": len(page),
        "Resources": [dump(r, given, Context.SEARCH_RESPONSE) for r in page],
    }


def find_users(rows: QuerySet[Person], given: dict[str, Any], base: str) -> list[User]:
    return find(
        rows,
        given,
        model=User,
        to_resource=lambda person: resources.to_user(person, base),
        simple=_SIMPLE,
        column_of=lambda name: _COLUMNS[name.lower().replace("[value", ".value")],
    )


def search(rows: QuerySet[Person], given: dict[str, Any], base: str) -> dict[str, Any]:
    """A ListResponse of the people `rows` (in the agency's schema) that match `given`."""
    return list_response(find_users(rows, given, base), given)
