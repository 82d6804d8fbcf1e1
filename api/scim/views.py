"""The SCIM 2.0 endpoints of an agency's host (RFC 7644): /scim/v2/Users and discovery
(/Groups: api/scim/groups.py).

Bearer tokens only: a SCIM token of the host's agency (services/people/scim/actions.py
`authenticate`, which looks it up in that agency's schema); sessions and CSRF play no part.
Every answer is `application/scim+json`; every error a SCIM Error (status, scimType, detail),
never a 500 for bad input. Writes go through services/people/scim_actions.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pydantic
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django_tenants.utils import tenant_context
from scim2_models import (
    Context,
    PatchOp,
    SCIMException,
    User,
)

from api.scim import resources
from api.scim.errors import ScimError
from api.scim.search import dump, params, search
from services.people import scim_actions
from services.people.errors import PeopleErrorCode
from services.people.models import Person
from services.people.scim.actions import authenticate
from services.people.scim.actor import ScimActor
from services.people.scim.served import provisioned
from tenants.models import Agency, AgencyState
from tenants.viewer import host_agency_of

CONTENT_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
MAX_BODY = 256 * 1024
# The register's field behind each SCIM attribute, for error details.
ATTRIBUTES = {
    "email": "userName",
    "name": "displayName",
    "phone": "phoneNumbers",
    "external_id": "externalId",
    "person": "id",
    "display_name": "displayName",
    "members": "members",
    "group": "id",
}


def respond(body: Any, status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return respond(body, status)


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2")


def body_of(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_BODY:
        raise ScimError(413, "The request body is too large.")
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ScimError(400, "The body is not JSON.", "invalidSyntax") from exc
    if not isinstance(body, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    return body


def _from_validation(exc: ValidationError) -> ScimError:
    items = exc.error_dict if hasattr(exc, "error_dict") else {"": exc.error_list}
    details, duplicate = [], False
    for field, errors in items.items():
        for item in errors:
            duplicate = duplicate or item.code == PeopleErrorCode.DUPLICATE
            message = " ".join(str(m) for m in item.messages)
            details.append(f"{ATTRIBUTES.get(field, field)}: {message}")
    if duplicate:
        return ScimError(409, "; ".join(details), "uniqueness")
    not_found = any(
        item.code == PeopleErrorCode.NOT_FOUND for errors in items.values() for item in errors
    )
    if not_found:
        return ScimError(404, "; ".join(details))
    return ScimError(400, "; ".join(details), "invalidValue")


def parse(model: Any, body: dict[str, Any], context: Context) -> Any:
    try:
        return model.model_validate(body, scim_ctx=context)
    except SCIMException as exc:
        raise ScimError(exc.status, exc.detail, exc.scim_type) from exc
    except pydantic.ValidationError as exc:
        errors = exc.errors()
        where = ".".join(str(p) for p in errors[0]["loc"]) if errors else ""
        message = errors[0]["msg"] if errors else "invalid"
        detail = f"{where}: {message}" if where else "Invalid resource."
        raise ScimError(400, detail, "invalidValue") from exc


def replaced(request: HttpRequest, model: Any, current: Any) -> tuple[Any, Context]:
    """PUT: the resource the body holds. PATCH: `current` with the body's operations applied
    (operation names in any case: Entra ID sends "Replace", "Add", "Remove"). With the
    context of the answer."""
    if request.method == "PUT":
        replacement = parse(model, body_of(request), Context.RESOURCE_REPLACEMENT_REQUEST)
        return replacement, Context.RESOURCE_REPLACEMENT_RESPONSE
    body = body_of(request)
    for operation in body.get("Operations") or []:
        if isinstance(operation, dict) and isinstance(operation.get("op"), str):
            operation["op"] = operation["op"].lower()
    patch = parse(PatchOp[model], body, Context.RESOURCE_PATCH_REQUEST)
    patch.patch(current)
    return current, Context.RESOURCE_PATCH_RESPONSE


def scim_view(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Authenticates the agency's SCIM token and turns every refusal into a SCIM error."""

    @csrf_exempt
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        agency = host_agency_of(request)
        if agency is None:
            return error(404, "Not found.")
        header = request.headers.get("Authorization", "")
        raw = header[7:].strip() if header.lower().startswith("bearer ") else ""
        actor = authenticate(agency, raw) if agency.state == AgencyState.ACTIVE else None
        if actor is None:
            response = error(401, "A valid SCIM token of this agency is required.")
            response["WWW-Authenticate"] = 'Bearer realm="scim"'
            return response
        try:
            return func(request, agency, actor, *args, **kwargs)
        except ScimError as exc:
            return error(exc.status, exc.detail, exc.scim_type)
        except SCIMException as exc:
            return error(exc.status, exc.detail, exc.scim_type)
        except ValidationError as exc:
            scim = _from_validation(exc)
            return error(scim.status, scim.detail, scim.scim_type)
        except PermissionDenied:
            return error(403, "Not allowed.")

    return view


def allow(request: HttpRequest, *methods: str) -> None:
    if request.method not in methods:
        raise ScimError(405, f"Method {request.method} is not allowed here.")


# --- discovery ------------------------------------------------------------------------------


@scim_view
def service_provider_config(request: HttpRequest, agency: Agency, actor: ScimActor) -> HttpResponse:
    allow(request, "GET")
    return respond(resources.service_provider_config(base_url(request)))


def _listed(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": [resources.LIST_SCHEMA],
        "totalResults": len(items),
        "startIndex": 1,
        "itemsPerPage": len(items),
        "Resources": items,
    }


@scim_view
def schemas(request: HttpRequest, agency: Agency, actor: ScimActor, id: str = "") -> HttpResponse:
    allow(request, "GET")
    known = {s["id"]: s for s in resources.schemas(base_url(request))}
    if not id:
        return respond(_listed(list(known.values())))
    if id not in known:
        raise ScimError(404, "No such schema.")
    return respond(known[id])


@scim_view
def resource_types(
    request: HttpRequest, agency: Agency, actor: ScimActor, id: str = ""
) -> HttpResponse:
    allow(request, "GET")
    known = {t["id"]: t for t in resources.resource_types(base_url(request))}
    if not id:
        return respond(_listed(list(known.values())))
    if id not in known:
        raise ScimError(404, "No such resource type.")
    return respond(known[id])


@scim_view
def not_found(
    request: HttpRequest, agency: Agency, actor: ScimActor, rest: str = ""
) -> HttpResponse:
    raise ScimError(404, "No such SCIM endpoint.")


# --- Users ----------------------------------------------------------------------------------


def _person(agency: Agency, id: str) -> Person:
    if not id.isdigit() or len(id) > 18:
        raise ScimError(404, "No such user.")
    with tenant_context(agency):
        person = provisioned(agency).filter(pk=int(id)).first()
    if person is None:
        raise ScimError(404, "No such user.")
    return person


def _write(
    agency: Agency, actor: ScimActor, person: Person | None, values: dict[str, Any]
) -> Person:
    active = values.pop("active", None)
    if person is None:
        if not values.get("email"):
            raise ScimError(400, "userName: give the person's e-mail address.", "invalidValue")
        values.setdefault("name", values["email"])  # a name is required: the address until given
        person = scim_actions.create_person(agency, actor, values)
    else:
        values.setdefault("name", person.name)
        person = scim_actions.update_person(agency, actor, person.pk, **values)
    if active is not None:
        person = scim_actions.set_active(agency, actor, person.pk, active=active)
    return person


def _list(request: HttpRequest, agency: Agency, given: dict[str, Any]) -> HttpResponse:
    with tenant_context(agency):
        return respond(search(provisioned(agency), given, base_url(request)))


@scim_view
def users(request: HttpRequest, agency: Agency, actor: ScimActor) -> HttpResponse:
    allow(request, "GET", "POST")
    if request.method == "GET":
        return _list(request, agency, params(request))
    user = parse(User, body_of(request), Context.RESOURCE_CREATION_REQUEST)
    person = _write(agency, actor, None, resources.to_values(user, replace=True))
    created = resources.to_user(person, base_url(request))
    location = (created.meta.location if created.meta else "") or ""
    body = dump(created, params(request), Context.RESOURCE_CREATION_RESPONSE)
    return respond(body, 201, Location=location)


@scim_view
def users_search(request: HttpRequest, agency: Agency, actor: ScimActor) -> HttpResponse:
    """POST /Users/.search and /.search (RFC 7644 §3.4.3): a SearchRequest in the body."""
    allow(request, "POST")
    return _list(request, agency, body_of(request))


@scim_view
def user(request: HttpRequest, agency: Agency, actor: ScimActor, id: str) -> HttpResponse:
    allow(request, "GET", "PUT", "PATCH", "DELETE")
    person = _person(agency, id)
    base = base_url(request)
    if request.method == "GET":
        user = resources.to_user(person, base)
        return respond(dump(user, params(request), Context.RESOURCE_QUERY_RESPONSE))
    if request.method == "DELETE":
        scim_actions.delete_person(agency, actor, person.pk)
        return HttpResponse(status=204)
    user, context = replaced(request, User, resources.to_user(person, base))
    person = _write(agency, actor, person, resources.to_values(user, replace=True))
    return respond(dump(resources.to_user(person, base), params(request), context))
