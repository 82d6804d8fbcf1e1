"""Listing and searching Users (RFC 7644 §3.4.2, §3.4.3): filter, startIndex and count, and
the attributes and excludedAttributes of every answer. `userName`, `externalId` and
`emails.value` / `emails[value eq ...]` equality run in the database; any other filter is
evaluated by scim2-models on the agency's people."""

from __future__ import annotations

import json
import re
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


def dump(user: User, given: dict[str, Any], context: Context) -> dict[str, Any]:
    """`user` as the answer carries it, with the request's attributes/excludedAttributes."""
    query = {
        key: given[key]
        for key in ("attributes", "excludedAttributes")
        if given.get(key) not in (None, "", [])
    }
    try:
        parameters = ResponseParameters[User].model_validate(query) if query else None
        return user.model_dump(scim_ctx=context, response_parameters=parameters)
    except (SCIMException, ValueError) as exc:
        raise ScimError(
            400, "attributes or excludedAttributes name no attribute.", "invalidValue"
        ) from exc


def search(rows: QuerySet[Person], given: dict[str, Any], base: str) -> dict[str, Any]:
    """A ListResponse of the people `rows` (in the agency's schema) that match `given`."""
    start = max(whole_number(given, "startIndex", 1), 1)
    count = min(max(whole_number(given, "count", resources.MAX_RESULTS), 0), resources.MAX_RESULTS)
    text = given.get("filter") or ""
    if not isinstance(text, str):
        raise ScimError(400, "filter must be text.", "invalidFilter")
    simple = _SIMPLE.match(text) if text else None
    if simple:
        column = _COLUMNS[simple.group(1).lower().replace("[value", ".value")]
        try:
            value = json.loads(f'"{simple.group(2)}"')
        except ValueError as exc:
            raise ScimError(400, "The filter is invalid.", "invalidFilter") from exc
        users = [resources.to_user(p, base) for p in rows.filter(**{f"{column}__iexact": value})]
    elif text:
        try:
            scim_filter = ScimFilter[User](text)
            scim_filter.match(User(), strict=True)  # an attribute Users lack: invalidFilter
            found = (resources.to_user(p, base) for p in rows)
            users = [u for u in found if scim_filter.match(u, strict=True)]
        except (SCIMException, ValueError, pydantic.ValidationError) as exc:
            raise ScimError(400, "The filter is invalid.", "invalidFilter") from exc
    else:
        users = [resources.to_user(p, base) for p in rows]
    page = users[start - 1 : start - 1 + count]
    return {
        "schemas": [resources.LIST_SCHEMA],
        "totalResults": len(users),
        "startIndex": start,
        "itemsPerPage": len(page),
        "Resources": [dump(u, given, Context.SEARCH_RESPONSE) for u in page],
    }
