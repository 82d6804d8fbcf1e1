"""What SCIM provisioning holds of a person (services/people/gdpr.py): the directory's groups
they are in. Anonymising a person takes them out of every group: membership serves only to
map roles, and an anonymised person holds none."""

from __future__ import annotations

from typing import Any

from services.people.gdpr import Holder
from services.people.models import Person
from services.people.scim.models import ScimGroup


def _export(person: Person) -> list[dict[str, Any]]:
    rows = ScimGroup.objects.filter(members=person).order_by("display_name", "pk")
    return [{"group": g.display_name, "external_id": g.external_id} for g in rows]


def _anonymise(person: Person) -> int:
    through = ScimGroup.members.through
    removed, _ = through.objects.filter(person_id=person.pk).delete()
    return removed


HOLDER = Holder("directory_groups", _export, _anonymise)
