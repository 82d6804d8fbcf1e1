"""The people SCIM serves as Users: the register but those anonymised and those the identity
provider deleted (services/people/scim_actions.py `delete_person`)."""

from __future__ import annotations

from typing import Any

from services.people.models import Person
from services.people.scim.models import ScimDeletion
from tenants.models import Agency


def provisioned(agency: Agency) -> Any:
    """The people SCIM serves (in the agency's schema; call inside its tenant context): the
    register but those anonymised and those the identity provider deleted."""
    deleted = ScimDeletion.objects.values("person_id")
    return Person.objects.filter(anonymised_at=None).exclude(pk__in=deleted).order_by("pk")
