"""The agency's people register: every write of a person (services/people/models.py).

An agency's admins add, edit, deactivate and reactivate its people (policies.keeps_register);
every member corrects their own contact details (policies.edits_own_details). Each write is
checked whole before anything is written (field errors with PeopleErrorCode), runs in the
agency's schema, and is audited in public with the names of the fields that changed, never
their values: personal data stays in the agency's schema.

Deactivating a person (they left) keeps their record for the tickets, seats and visits that
name them; `person_deactivated` tells the domains that hold something of theirs (licences
releases their seats), and their identity loses its roles in the agency (end_access).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import django.dispatch
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.audit.actions import record_event
from services.people import policies
from services.people.contact import normalise_email, normalise_phone
from services.people.errors import PeopleErrorCode as Code
from services.people.models import Person
from services.validation import Errors, a_date, field_error, text
from tenants.models import Agency, ApiToken, RoleGrant, User
from tenants.viewer import Viewer

# Sent after a person is deactivated, inside the write's transaction and the agency's schema:
# sender=Person, agency, person, actor. Receivers release what the person held.
person_deactivated = django.dispatch.Signal()

MAX_LENGTHS = {
    "name": 200,
    "email": 254,
    "phone": 32,
    "street_address": 200,
    "postal_code": 10,
    "city": 100,
    "work_street_address": 200,
    "work_postal_code": 10,
    "work_city": 100,
    "cost_centre": 40,
}
CONTACT_FIELDS = (
    "email",
    "phone",
    "street_address",
    "postal_code",
    "city",
    "work_street_address",
    "work_postal_code",
    "work_city",
)
FIELDS = ("name", *CONTACT_FIELDS, "cost_centre", "employment_ends_on")


@dataclasses.dataclass
class PersonInput:
    name: str = ""
    email: str = ""
    phone: str = ""
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    work_street_address: str = ""
    work_postal_code: str = ""
    work_city: str = ""
    cost_centre: str = ""
    employment_ends_on: Any = None


def _postal_code(errors: Errors, field: str, value: str) -> str:
    """A Swedish postal code, stored as "123 45"; empty stays empty."""
    digits = value.replace(" ", "")
    if not digits:
        return ""
    if not (digits.isdigit() and len(digits) == 5):
        errors.add(field, _("A postal code is five digits, e.g. 123 45."), Code.INVALID)
        return value
    return f"{digits[:3]} {digits[3:]}"


def clean_values(
    values: Mapping[str, Any], *, agency_id: int, person: Person | None = None
) -> dict[str, Any]:
    """The fields of `values` (any of FIELDS), checked and normalised; raises every error at
    once. Runs in the agency's schema (the e-mail must be unique among its active people)."""
    errors = Errors()
    clean: dict[str, Any] = {}
    for field, value in values.items():
        if field == "employment_ends_on":
            clean[field] = a_date(errors, field, value, codes=Code, required=False)
            continue
        clean[field] = text(
            errors,
            field,
            value,
            codes=Code,
            max_length=MAX_LENGTHS[field],
            required=field == "name",
            required_message=_("Give the person's name."),
        )
    if clean.get("email"):
        email = normalise_email(clean["email"])
        if not email:
            errors.add("email", _("Not an e-mail address."), Code.INVALID)
        else:
            clean["email"] = email
            twins = Person.objects.filter(email__iexact=email, is_active=True)
            if person is not None:
                twins = twins.exclude(pk=person.pk)
            if twins.exists():
                errors.add("email", _("Someone in the register has this address."), Code.DUPLICATE)
    if clean.get("phone"):
        phone = normalise_phone(clean["phone"])
        if not phone:
            errors.add("phone", _("Not a phone number (e.g. 070-123 45 67)."), Code.INVALID)
        else:
            clean["phone"] = phone
    for field in ("postal_code", "work_postal_code"):
        if clean.get(field):
            clean[field] = _postal_code(errors, field, clean[field])
    errors.raise_if_any()
    return clean


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Only the agency's admins keep its people register."))


def lock_person(person_id: int) -> Person:
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise field_error("person", _("No such person."), Code.NOT_FOUND)
    return person


def apply_changes(person: Person, clean: dict[str, Any]) -> list[str]:
    """Set the cleaned values that differ on `person`; the names of the fields changed."""
    changed = sorted(f for f, v in clean.items() if getattr(person, f) != v)
    for field in changed:
        setattr(person, field, clean[field])
    return changed


def create_person(agency: Agency, actor: User, data: PersonInput) -> Person:
    """A new person in the agency's register (agency admins)."""
    _require(policies.keeps_register(Viewer.of(actor, agency), agency))
    with tenant_context(agency), transaction.atomic():
        clean = clean_values(dataclasses.asdict(data), agency_id=agency.pk)
        person = Person.objects.create(**clean)
        record_event(actor, "people.person.created", person, agency=agency, fields=sorted(clean))
    return person


def update_person(agency: Agency, actor: User, person_id: int, **given: Any) -> Person:
    """Change the fields given (any of FIELDS) of a person of the register (agency admins)."""
    _require(policies.keeps_register(Viewer.of(actor, agency), agency))
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(unknown)}")
    with tenant_context(agency), transaction.atomic():
        person = lock_person(person_id)
        if person.anonymised_at is not None:
            raise field_error("person", _("This person is anonymised."), Code.INVALID_STATE)
        changed = apply_changes(person, clean_values(given, agency_id=agency.pk, person=person))
        if changed:
            person.save(update_fields=changed)
            record_event(actor, "people.person.updated", person, agency=agency, fields=changed)
    return person


def update_own_details(agency: Agency, actor: User, **given: Any) -> Person:
    """A member corrects their own contact details (any of CONTACT_FIELDS)."""
    if not policies.edits_own_details(Viewer.of(actor, agency), agency):
        raise PermissionDenied(_("You have no role in this agency."))
    unknown = sorted(set(given) - set(CONTACT_FIELDS))
    if unknown:
        raise TypeError(f"not a contact detail: {', '.join(unknown)}")
    with tenant_context(agency), transaction.atomic():
        person = Person.objects.select_for_update().filter(user_id=actor.pk).first()
        if person is None:
            raise field_error("person", _("You are not in the register."), Code.NOT_FOUND)
        changed = apply_changes(person, clean_values(given, agency_id=agency.pk, person=person))
        if changed:
            person.save(update_fields=changed)
            record_event(actor, "people.person.own_details", person, agency=agency, fields=changed)
    return person


def set_active(agency: Agency, actor: User, person_id: int, *, active: bool) -> Person:
    """Deactivate a person who left (what they held is released: `person_deactivated`; their
    identity's roles here end: `end_access`), or reactivate one who returned (their roles are
    granted again by an admin, services/agencies/grants.py)."""
    _require(policies.keeps_register(Viewer.of(actor, agency), agency))
    with tenant_context(agency), transaction.atomic():
        person = lock_person(person_id)
        if person.is_active == active:
            already = (
                _("The person is already active.")
                if active
                else _("The person is already deactivated.")
            )
            raise field_error("person", already, Code.INVALID_STATE)
        if active and person.anonymised_at is not None:
            raise field_error("person", _("This person is anonymised."), Code.INVALID_STATE)
        if (
            active
            and person.email
            and Person.objects.filter(email__iexact=person.email, is_active=True).exists()
        ):
            raise field_error(
                "email", _("Someone in the register has this address."), Code.DUPLICATE
            )
        person.is_active = active
        person.deactivated_at = None if active else timezone.now()
        person.save(update_fields=["is_active", "deactivated_at"])
        action = "people.person.reactivated" if active else "people.person.deactivated"
        record_event(actor, action, person, agency=agency)
        if not active:
            person_deactivated.send(Person, agency=agency, person=person, actor=actor)
            if person.user_id is not None:
                end_access(agency, person.user_id)
    return person


def end_access(agency: Agency, user_id: int) -> None:
    """A person who left: their identity's roles in `agency` are removed; an identity with no
    role left anywhere is deactivated (its sessions end at the next request,
    tenants.middleware) and its API tokens are revoked, as offboarding does."""
    RoleGrant.objects.filter(user_id=user_id, agency=agency).delete()
    if not RoleGrant.objects.filter(user_id=user_id).exists():
        ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        User.objects.filter(pk=user_id).update(is_active=False)
