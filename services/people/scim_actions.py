"""The register's writes by SCIM provisioning (api/scim/views.py): the agency's identity
provider, acting through one of the agency's SCIM tokens (services/people/scim/actor.py).

The SCIM actor is no identity, so the admins' actions (services/people/actions.py), which
check `policies.keeps_register` for a User, do not accept it; these actions check
`policies.scim_keeps_register` instead and otherwise write exactly as those do: the same
validation (`clean_values`), the same locking, the same deactivation (seats released through
`person_deactivated`, the identity's roles ended by `end_access`), audited in public with the
names of the fields that changed (actor: none; via="scim" and the token's id).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.audit.actions import record_event
from services.people import policies
from services.people.actions import (
    FIELDS,
    clean_values,
    end_access,
    lock_person,
    person_deactivated,
)
from services.people.errors import PeopleErrorCode as Code
from services.people.models import Person
from services.people.scim.actor import ScimActor
from services.people.scim.models import ScimDeletion
from services.validation import Errors, field_error, text
from tenants.models import Agency

SCIM_FIELDS = (*FIELDS, "external_id")


def _require(actor: ScimActor, agency: Agency) -> None:
    if not policies.scim_keeps_register(actor, agency):
        raise PermissionDenied(_("The SCIM token is not valid for this agency."))


def _clean(values: dict[str, Any], agency: Agency, person: Person | None) -> dict[str, Any]:
    unknown = sorted(set(values) - set(SCIM_FIELDS))
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(unknown)}")
    given = {k: v for k, v in values.items() if k != "external_id"}
    errors = Errors()
    external = None
    if "external_id" in values:
        external = text(
            errors,
            "external_id",
            values["external_id"] or "",
            codes=Code,
            max_length=200,
            required=False,
        )
    errors.raise_if_any()
    clean = clean_values(given, agency_id=agency.pk, person=person)
    if external is not None:
        clean["external_id"] = external
    return clean


def _audit(actor: ScimActor, action: str, person: Person, **changes: Any) -> None:
    record_event(
        None, action, person, agency=actor.agency, via="scim", scim_token=actor.token_id, **changes
    )


def create_person(agency: Agency, actor: ScimActor, values: dict[str, Any]) -> Person:
    """A new, active person of the register; `values`: any of SCIM_FIELDS ("name" required)."""
    _require(actor, agency)
    with tenant_context(agency), transaction.atomic():
        clean = _clean(values, agency, None)
        person = Person.objects.create(**clean)
        _audit(actor, "people.person.created", person, fields=sorted(clean))
    return person


def update_person(agency: Agency, actor: ScimActor, person_id: int, **given: Any) -> Person:
    """Change the fields given (any of SCIM_FIELDS) of a person of the register."""
    _require(actor, agency)
    with tenant_context(agency), transaction.atomic():
        person = lock_person(person_id)
        if person.anonymised_at is not None:
            raise field_error("person", _("This person is anonymised."), Code.INVALID_STATE)
        clean = _clean(given, agency, person)
        changed = sorted(f for f, v in clean.items() if getattr(person, f) != v)
        for field in changed:
            setattr(person, field, clean[field])
        if changed:
            person.save(update_fields=changed)
            _audit(actor, "people.person.updated", person, fields=changed)
    return person


def set_active(agency: Agency, actor: ScimActor, person_id: int, *, active: bool) -> Person:
    """Deactivate (what the person held is released, their identity's roles here end) or
    reactivate a person; setting the state they already have changes nothing (SCIM clients
    send `active` with every replacement)."""
    _require(actor, agency)
    with tenant_context(agency), transaction.atomic():
        person = lock_person(person_id)
        if person.is_active == active:
            return person
        if active and person.anonymised_at is not None:
            raise field_error("person", _("This person is anonymised."), Code.INVALID_STATE)
        twins = Person.objects.filter(email__iexact=person.email, is_active=True)
        if active and person.email and twins.exists():
            raise field_error(
                "email", _("Someone in the register has this address."), Code.DUPLICATE
            )
        person.is_active = active
        person.deactivated_at = None if active else timezone.now()
        person.save(update_fields=["is_active", "deactivated_at"])
        _audit(
            actor, "people.person.reactivated" if active else "people.person.deactivated", person
        )
        if not active:
            person_deactivated.send(Person, agency=agency, person=person, actor=None)
            if person.user_id is not None:
                end_access(agency, person.user_id)
    return person


def delete_person(agency: Agency, actor: ScimActor, person_id: int) -> None:
    """SCIM DELETE: the person is deactivated (as `set_active`), and no longer served."""
    _require(actor, agency)
    with tenant_context(agency), transaction.atomic():
        set_active(agency, actor, person_id, active=False)
        ScimDeletion.objects.get_or_create(
            person_id=person_id, defaults={"token_id": actor.token_id}
        )
        _audit(actor, "people.person.scim_deleted", lock_person(person_id))
