"""The register's writes by federated sign-in (services/agencies/federation/): the agency's
own identity provider vouches for a person signing in on the agency's host.

`find_person` says which person of the register the identity provider's subject is: the one
already linked to the identity, else the person whom SCIM provisioned with that subject as
external id, else the person with the asserted e-mail.
`admit_person` links that person to the identity, or creates one (when the provider creates
people at first sign-in), with the asserted name and e-mail, validated as every other write
of the register. Audited in public with the names of the fields set, never their values.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django_tenants.utils import tenant_context

from services.audit.actions import record_event
from services.people.actions import clean_values
from services.people.models import Person
from tenants.models import Agency, User


@dataclass(frozen=True)
class Found:
    person: Person | None  # None: nobody in the register yet
    refusal: str = ""  # "deactivated" when the person found no longer works here


def find_person(agency: Agency, user_id: int | None, subject: str, email: str) -> Found:
    """Who in `agency`'s register signs in (read only; call before anything is written). The
    person found may be linked to another identity (`person.user_id`): the one another of
    the agency's providers, or an admin, gave them."""
    with tenant_context(agency):
        live = Person.objects.filter(anonymised_at=None)
        if user_id is not None:
            linked = live.filter(user_id=user_id).first()
            if linked is not None:
                return Found(linked, "" if linked.is_active else "deactivated")
        person = (
            live.filter(external_id=subject).order_by("-is_active").first() if subject else None
        )
        if person is None and email:
            person = live.filter(email__iexact=email).order_by("-is_active").first()
        if person is not None and not person.is_active:
            return Found(person, "deactivated")
        return Found(person)


def admit_person(
    agency: Agency, user: User, found: Found, *, name: str, email: str, via: str
) -> Person:
    """Link the person found to `user`, or create them (`found.person` None)."""
    with tenant_context(agency), transaction.atomic():
        if found.person is not None:
            person = Person.objects.select_for_update().get(pk=found.person.pk)
            if person.user_id != user.pk:
                person.user_id = user.pk
                person.save(update_fields=["user_id"])
                record_event(
                    user, "people.person.linked", person, agency=agency, via=via, fields=["user"]
                )
            return person
        values = {"name": name or user.username, "email": email}
        try:
            clean = clean_values(values, agency_id=agency.pk)
        except ValidationError:  # an address the register cannot take: the person without it
            clean = clean_values({"name": values["name"]}, agency_id=agency.pk)
        person = Person.objects.create(user_id=user.pk, **clean)
        record_event(
            user, "people.person.created", person, agency=agency, via=via, fields=sorted(clean)
        )
        return person


def identities_of(person_ids: list[int]) -> dict[int, int]:
    """{person id: identity id} of those of `person_ids` who are active and have an identity
    (inside the agency's context)."""
    rows = Person.objects.filter(pk__in=person_ids, is_active=True, user_id__isnull=False)
    return {pk: user_id for pk, user_id in rows.values_list("pk", "user_id") if user_id}
