"""SCIM representations of the people register (scim2-models), and the discovery documents.

A person is a SCIM User: userName is their e-mail address (emails[primary] mirrors it),
displayName their name (name.formatted mirrors it), phoneNumbers[0] their phone, active,
externalId the identity provider's id. The published User schema says which attributes are
written (userName, displayName, phoneNumbers, active, externalId) and which only mirror them
(emails, name): a server keeps one address and one name per person.
"""

from __future__ import annotations

from typing import Any

from scim2_models import Email, Meta, Name, PhoneNumber, User

from services.people.models import Person

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RT_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
MAX_RESULTS = 200


def to_user(person: Person, base: str) -> User:
    """The SCIM User of a person; `base` is the endpoint's absolute URL (…/scim/v2)."""
    return User(
        id=str(person.pk),
        external_id=person.external_id or None,
        user_name=person.email or None,
        display_name=person.name or None,
        name=Name(formatted=person.name) if person.name else None,
        emails=[Email(value=person.email, type=Email.Type.work, primary=True)]
        if person.email
        else None,
        phone_numbers=[PhoneNumber(value=person.phone)] if person.phone else None,
        active=person.is_active,
        meta=Meta(
            resource_type="User",
            created=person.created_at,
            last_modified=person.deactivated_at or person.created_at,
            location=f"{base}/Users/{person.pk}",
        ),
    )


def _first(items: list[Any] | None) -> Any:
    if not items:
        return None
    return next((item for item in items if getattr(item, "primary", False)), items[0])


def to_values(user: User, *, replace: bool) -> dict[str, Any]:
    """The register's fields of a SCIM User (services/people/scim_actions.SCIM_FIELDS, and
    "active"). With `replace` (POST, PUT), an attribute the user lacks empties its field;
    otherwise (the result of a PATCH) every field is given."""
    values: dict[str, Any] = {}
    email = user.user_name
    if not email:
        primary = _first(user.emails)
        email = primary.value if primary is not None else None
    if email is not None or replace:
        values["email"] = email or ""
    name = user.display_name or (user.name.formatted if user.name else None)
    if not name and user.name and (user.name.given_name or user.name.family_name):
        name = " ".join(p for p in (user.name.given_name, user.name.family_name) if p)
    if name is not None:
        values["name"] = name
    phone = _first(user.phone_numbers)
    values["phone"] = (phone.value or "") if phone is not None else ""
    values["external_id"] = user.external_id or ""
    if user.active is not None:
        values["active"] = user.active
    return values


def _attr(name: str, type_: str = "string", **extra: Any) -> dict[str, Any]:
    attribute = {
        "name": name,
        "type": type_,
        "multiValued": False,
        "required": False,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
        "description": "",
    }
    attribute.update(extra)
    return attribute


def user_schema(base: str) -> dict[str, Any]:
    mirror = {"mutability": "readOnly"}
    return {
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A person of the agency's people register",
        "attributes": [
            _attr(
                "userName",
                required=True,
                uniqueness="server",
                description="The person's e-mail address, unique among active people.",
            ),
            _attr("displayName", required=True, description="The person's name."),
            _attr(
                "name",
                "complex",
                subAttributes=[_attr("formatted", **mirror)],
                description="Mirrors displayName.",
                **mirror,
            ),
            _attr(
                "emails",
                "complex",
                multiValued=True,
                subAttributes=[
                    _attr("value", **mirror),
                    _attr("type", canonicalValues=["work"], **mirror),
                    _attr("primary", "boolean", **mirror),
                ],
                description="Mirrors userName.",
                **mirror,
            ),
            _attr(
                "phoneNumbers",
                "complex",
                multiValued=True,
                subAttributes=[_attr("value", description="In E.164 form, e.g. +46701234567.")],
                description="The person's phone (one).",
            ),
            _attr(
                "active",
                "boolean",
                required=True,
                description="False: the person left the agency (true when not given).",
            ),
        ],
        "meta": {"resourceType": "Schema", "location": f"{base}/Schemas/{USER_SCHEMA}"},
    }


def group_schema(base: str) -> dict[str, Any]:
    return {
        "schemas": [SCHEMA_SCHEMA],
        "id": GROUP_SCHEMA,
        "name": "Group",
        "description": "A group of the agency's directory; its identity providers map groups "
        "to roles",
        "attributes": [
            _attr("displayName", required=True, uniqueness="server", description="Its name."),
            _attr(
                "members",
                "complex",
                multiValued=True,
                subAttributes=[
                    _attr("value", mutability="immutable", description="A User's id."),
                    _attr("$ref", "reference", mutability="immutable", referenceTypes=["User"]),
                    _attr("type", mutability="immutable", canonicalValues=["User"]),
                ],
                description="People of the register (Users).",
            ),
        ],
        "meta": {"resourceType": "Schema", "location": f"{base}/Schemas/{GROUP_SCHEMA}"},
    }


def schemas(base: str) -> list[dict[str, Any]]:
    return [user_schema(base), group_schema(base)]


def resource_types(base: str) -> list[dict[str, Any]]:
    def rtype(name: str, endpoint: str, schema: str, description: str) -> dict[str, Any]:
        return {
            "schemas": [RT_SCHEMA],
            "id": name,
            "name": name,
            "endpoint": endpoint,
            "description": description,
            "schema": schema,
            "schemaExtensions": [],
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/{name}"},
        }

    return [
        rtype("User", "/Users", USER_SCHEMA, "A person of the agency's people register"),
        rtype("Group", "/Groups", GROUP_SCHEMA, "A group of the agency's directory"),
    ]


def service_provider_config(base: str) -> dict[str, Any]:
    """What is implemented: PATCH and filtering; not bulk, sort, ETags or changePassword."""
    return {
        "schemas": [SPC_SCHEMA],
        "documentationUri": "https://datatracker.ietf.org/doc/html/rfc7644",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "SCIM token",
                "description": "A SCIM token of the agency, created by one of its admins.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base}/ServiceProviderConfig",
        },
    }
