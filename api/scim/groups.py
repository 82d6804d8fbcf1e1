"""SCIM Groups of an agency's host (RFC 7644): /scim/v2/Groups. The same token, errors and
rules as /Users (api/scim/views.py); writes go through services/people/scim/groups.py.
`displayName` and `externalId` equality filters run in the database; any other filter is
evaluated by scim2-models on the agency's groups."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django_tenants.utils import tenant_context
from scim2_models import (
    Context,
    GroupMember,
    Meta,
)
from scim2_models import Group as ScimGroupResource

from api.scim import resources
from api.scim.errors import ScimError
from api.scim.search import dump, find, find_users, list_response, params
from api.scim.views import allow, base_url, body_of, parse, replaced, respond, scim_view
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


def _rows() -> Any:
    return ScimGroup.objects.prefetch_related("members").order_by("pk")


def _find(given: dict[str, Any], base: str) -> list[ScimGroupResource]:
    return find(
        _rows(),
        given,
        model=ScimGroupResource,
        to_resource=lambda group: to_group(group, base),
        simple=_SIMPLE,
        column_of=lambda name: _COLUMNS[name.lower()],
    )


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
            return respond(list_response(_find(params(request), base), params(request)))
    resource = parse(ScimGroupResource, body_of(request), Context.RESOURCE_CREATION_REQUEST)
    created = actions.create_group(agency, actor, _values(resource))
    with tenant_context(agency):
        body = to_group(_group(str(created.pk)), base)
    location = f"{base}/Groups/{created.pk}"
    return respond(
        dump(body, params(request), Context.RESOURCE_CREATION_RESPONSE), 201, Location=location
    )


@scim_view
def groups_search(request: HttpRequest, agency: Agency, actor: ScimActor) -> HttpResponse:
    allow(request, "POST")
    with tenant_context(agency):
        given = body_of(request)
        return respond(list_response(_find(given, base_url(request)), given))


@scim_view
def search_all(request: HttpRequest, agency: Agency, actor: ScimActor) -> HttpResponse:
    """POST /.search (RFC 7644 §3.4.3): Users and Groups that match, one list, one paging."""
    allow(request, "POST")
    given = body_of(request)
    every = {**given, "startIndex": 1, "count": resources.MAX_RESULTS}
    base = base_url(request)
    with tenant_context(agency):
        found = [*find_users(provisioned(agency), every, base), *_find(every, base)]
    return respond(list_response(found, given))


@scim_view
def group(request: HttpRequest, agency: Agency, actor: ScimActor, id: str) -> HttpResponse:
    allow(request, "GET", "PUT", "PATCH", "DELETE")
    base = base_url(request)
    with tenant_context(agency):
        current = _group(id)
        resource = to_group(current, base)
    if request.method == "GET":
        return respond(dump(resource, params(request), Context.RESOURCE_QUERY_RESPONSE))
    if request.method == "DELETE":
        actions.delete_group(agency, actor, current.pk)
        return HttpResponse(status=204)
    resource, context = replaced(request, ScimGroupResource, resource)
    actions.replace_group(agency, actor, current.pk, _values(resource))
    with tenant_context(agency):
        answer = to_group(_group(id), base)
    return respond(dump(answer, params(request), context))
