"""SCIM Groups of an agency's host (RFC 7644): /scim/v2/Groups. The same token, errors and
rules as /Users (api/scim/views.py); writes go through services/people/scim/groups.py.
`displayName` and `externalId` equality filters run in the database; any other filter is
evaluated by scim2-models on the agency's groups."""

from __future__ import annotations

import json
import re
from typing import Any

import pydantic
from django.http import HttpRequest, HttpResponse
from django_tenants.utils import tenant_context
from scim2_models import (
    Context,
    GroupMember,
    Meta,
    PatchOp,
    ResponseParameters,
    SCIMException,
    ScimFilter,
)
from scim2_models import Group as ScimGroupResource

from api.scim import resources
from api.scim.errors import ScimError
from api.scim.search import params, search, whole_number
from api.scim.views import allow, base_url, body_of, parse, respond, scim_view
from services.people.scim import groups as actions
from services.people.scim.actor import ScimActor
from services.people.scim.models import ScimGroup
from services.people.scim.served import provisioned
from tenants.models import Agency

_SIMPLE = re.compile(r'^\s*(displayName|externalId)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)
_COLUMNS = {"displayname": "display_name", "externalid": "external_id"}


def to_group(group: ScimGroup, base: str) -> ScimGroupResource:
    members = [
        GroupMember(
            value=str(p.pk),
            ref=f"{base}/Users/{p.pk}",  # type: ignore[arg-type]  # a Reference is a str
            type="User",
        )
        for p in group.members.all()  # by id only: names stay with the Users
    ]
    return ScimGroupResource(
        id=str(group.pk),
        display_name=group.display_name,
        external_id=group.external_id or None,
        members=members or None,
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=group.updated_at,
            location=f"{base}/Groups/{group.pk}",
        ),
    )


def _values(group: ScimGroupResource) -> dict[str, Any]:
    return {
        "display_name": group.display_name or "",
        "external_id": group.external_id or "",
        "members": [m.value for m in group.members or [] if m.value],
    }


def _dump(group: ScimGroupResource, given: dict[str, Any], context: Context) -> dict[str, Any]:
    query = {
        k: given[k] for k in ("attributes", "excludedAttributes") if given.get(k) not in (None, "")
    }
    try:
        parameters = ResponseParameters[ScimGroupResource].model_validate(query) if query else None
        return group.model_dump(scim_ctx=context, response_parameters=parameters)
    except (SCIMException, ValueError) as exc:
        raise ScimError(
            400, "attributes or excludedAttributes name no attribute.", "invalidValue"
        ) from exc


def _rows() -> Any:
    return ScimGroup.objects.prefetch_related("members").order_by("pk")


def _search(given: dict[str, Any], base: str) -> dict[str, Any]:
    start = max(whole_number(given, "startIndex", 1), 1)
    count = min(max(whole_number(given, "count", resources.MAX_RESULTS), 0), resources.MAX_RESULTS)
    text = given.get("filter") or ""
    if not isinstance(text, str):
        raise ScimError(400, "filter must be text.", "invalidFilter")
    simple = _SIMPLE.match(text) if text else None
    if simple:
        try:
            value = json.loads(f'"{simple.group(2)}"')
        except ValueError as exc:
            raise ScimError(400, "The filter is invalid.", "invalidFilter") from exc
        column = _COLUMNS[simple.group(1).lower()]
        found = [to_group(g, base) for g in _rows().filter(**{f"{column}__iexact": value})]
    elif text:
        try:
            scim_filter = ScimFilter[ScimGroupResource](text)
            scim_filter.match(ScimGroupResource(), strict=True)
            found = [
                g for g in (to_group(r, base) for r in _rows()) if scim_filter.match(g, strict=True)
            ]
        except (SCIMException, ValueError, pydantic.ValidationError) as exc:
            raise ScimError(400, "The filter is invalid.", "invalidFilter") from exc
    else:
        found = [to_group(g, base) for g in _rows()]
    page = found[start - 1 : start - 1 + count]
    return {
        "schemas": [resources.LIST_SCHEMA],
        "totalResults": len(found),
        "startIndex": start,
        "itemsPerPage": len(page),
        "Resources": [_dump(g, given, Context.SEARCH_RESPONSE) for g in page],
    }


def _group(id: str) -> ScimGroup:
    if not id.isdigit() or len(id) > 18:
        raise ScimError(404, "No such group.")
    group = _rows().filter(pk=int(id)).first()
    if group is None:
        raise ScimError(404, "No such group.")
    return group


@scim_view
def groups(request: HttpRequest, agency: Agency, actor: ScimActor) -> HttpResponse:
    allow(request, "GET", "POST")
    base = base_url(request)
    if request.method == "GET":
        with tenant_context(agency):
            return respond(_search(params(request), base))
    resource = parse(ScimGroupResource, body_of(request), Context.RESOURCE_CREATION_REQUEST)
    created = actions.create_group(agency, actor, _values(resource))
    with tenant_context(agency):
        body = to_group(_group(str(created.pk)), base)
    location = f"{base}/Groups/{created.pk}"
    return respond(
        _dump(body, params(request), Context.RESOURCE_CREATION_RESPONSE), 201, Location=location
    )


@scim_view
def groups_search(request: HttpRequest, agency: Agency, actor: ScimActor) -> HttpResponse:
    allow(request, "POST")
    with tenant_context(agency):
        return respond(_search(body_of(request), base_url(request)))


@scim_view
def search_all(request: HttpRequest, agency: Agency, actor: ScimActor) -> HttpResponse:
    """POST /.search (RFC 7644 §3.4.3): Users and Groups that match, one list, one paging."""
    allow(request, "POST")
    given = body_of(request)
    start = max(whole_number(given, "startIndex", 1), 1)
    count = min(max(whole_number(given, "count", resources.MAX_RESULTS), 0), resources.MAX_RESULTS)
    every = {**given, "startIndex": 1, "count": resources.MAX_RESULTS}
    base = base_url(request)
    with tenant_context(agency):
        found = [
            *search(provisioned(agency), every, base)["Resources"],
            *_search(every, base)["Resources"],
        ]
    page = found[start - 1 : start - 1 + count]
    return respond(
        {
            "schemas": [resources.LIST_SCHEMA],
            "totalResults": len(found),
            "startIndex": start,
            "itemsPerPage": len(page),
            "Resources": page,
        }
    )


@scim_view
def group(request: HttpRequest, agency: Agency, actor: ScimActor, id: str) -> HttpResponse:
    allow(request, "GET", "PUT", "PATCH", "DELETE")
    base = base_url(request)
    with tenant_context(agency):
        current = _group(id)
        resource = to_group(current, base)
    if request.method == "GET":
        return respond(_dump(resource, params(request), Context.RESOURCE_QUERY_RESPONSE))
    if request.method == "DELETE":
        actions.delete_group(agency, actor, current.pk)
        return HttpResponse(status=204)
    if request.method == "PUT":
        resource = parse(ScimGroupResource, body_of(request), Context.RESOURCE_REPLACEMENT_REQUEST)
        context = Context.RESOURCE_REPLACEMENT_RESPONSE
    else:
        body = body_of(request)
        for operation in body.get("Operations") or []:
            if isinstance(operation, dict) and isinstance(operation.get("op"), str):
                operation["op"] = operation["op"].lower()  # Entra ID sends "Add", "Remove"
        patch = parse(PatchOp[ScimGroupResource], body, Context.RESOURCE_PATCH_REQUEST)
        patch.patch(resource)
        context = Context.RESOURCE_PATCH_RESPONSE
    actions.replace_group(agency, actor, current.pk, _values(resource))
    with tenant_context(agency):
        answer = to_group(_group(id), base)
    return respond(_dump(answer, params(request), context))
