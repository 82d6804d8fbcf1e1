"""A person's data, exported (GDPR article 15) or erased by anonymisation (article 17), by
their agency's admins (docs/decisions/2026-12-07-people-register.md says what is kept and why).

The register knows the person; the domains know what they hold of them. Each domain that
holds something registers a `Holder` in its AppConfig.ready (support: tickets; licences:
seats; devices: devices held; hubs: bookings; field: visits): `export` lists it, `anonymise`
erases what identifies the person in it and says how many rows it changed. The export is one
JSON document; the anonymisation runs in one transaction with the register's own change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.audit.actions import record_event
from services.people import policies
from services.people.actions import FIELDS, end_access, lock_person, person_deactivated
from services.people.errors import PeopleErrorCode as Code
from services.people.models import Person
from services.validation import field_error
from tenants.models import Agency, User
from tenants.viewer import Viewer

ANONYMISED_NAME = "(anonymised)"


@dataclass(frozen=True)
class Holder:
    name: str  # the export's key, e.g. "tickets"
    export: Callable[[Person], list[dict[str, Any]]]
    anonymise: Callable[[Person], int]


_holders: dict[str, Holder] = {}


def register(holder: Holder) -> None:
    """Called by each domain that holds something of a person (its AppConfig.ready)."""
    _holders[holder.name] = holder


def holders() -> list[Holder]:
    return [_holders[name] for name in sorted(_holders)]


def _allowed(actor: User, agency: Agency) -> None:
    if not policies.keeps_register(Viewer.of(actor, agency), agency):
        raise PermissionDenied(_("Only the agency's admins keep its people register."))


def _value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export_person(agency: Agency, actor: User, person_id: int) -> dict[str, Any]:
    """Everything Samnav holds of a person in their agency, as one JSON-ready document."""
    _allowed(actor, agency)
    with tenant_context(agency), transaction.atomic():
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise field_error("person", _("No such person."), Code.NOT_FOUND)
        record = {f: _value(getattr(person, f)) for f in ("id", *FIELDS)}
        record.update(
            active=person.is_active,
            created_at=_value(person.created_at),
            deactivated_at=_value(person.deactivated_at),
            anonymised_at=_value(person.anonymised_at),
            signs_in=person.user_id is not None,
        )
        document: dict[str, Any] = {
            "agency": agency.name,
            "exported_at": timezone.now().isoformat(),
            "person": record,
        }
        for holder in holders():
            document[holder.name] = [
                {k: _value(v) for k, v in row.items()} for row in holder.export(person)
            ]
        record_event(actor, "people.person.exported", person, agency=agency)
    return document


def anonymise_person(agency: Agency, actor: User, person_id: int) -> tuple[Person, dict[str, int]]:
    """Erase what identifies the person: their register entry keeps only its id and dates,
    their identity's link and roles here end, and each holder erases what it holds (addresses
    of visits, for example). Records the service needs (tickets, seats) stay, now naming an
    anonymised person. Returns the person and the rows each holder changed."""
    _allowed(actor, agency)
    with tenant_context(agency), transaction.atomic():
        person = lock_person(person_id)
        if person.anonymised_at is not None:
            raise field_error("person", _("This person is anonymised."), Code.INVALID_STATE)
        if person.is_active:
            person_deactivated.send(Person, agency=agency, person=person, actor=actor)
        if person.user_id is not None:
            end_access(agency, person.user_id)
        changed = {holder.name: holder.anonymise(person) for holder in holders()}
        for field in FIELDS:
            if field == "employment_ends_on":
                continue
            setattr(person, field, "")
        person.name = ANONYMISED_NAME
        person.user_id = None
        now = timezone.now()
        person.is_active, person.deactivated_at = False, person.deactivated_at or now
        person.anonymised_at = now
        person.save()
        record_event(actor, "people.person.anonymised", person, agency=agency, rows=changed)
    return person, changed
