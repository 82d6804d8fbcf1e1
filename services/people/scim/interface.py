"""What the shared half of Samnav may use of the agency's SCIM groups: the one door from a
shared app into this agency app (tests/house/test_homes.py holds every shared app to it)."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from services.people.scim.groups import group_keys, members_changed
from tenants.models import Agency


def groups_of(agency: Agency, person_id: int) -> set[str]:
    """The external ids and names of the person's SCIM groups in `agency`."""
    with tenant_context(agency):
        return group_keys(person_id)


__all__ = ["groups_of", "members_changed"]
