"""Roles that follow the directory's groups (issue 19: "groups map to roles"). An identity
provider's "roles by group" names groups by id or name; a person's groups are those the
provider asserts at sign-in (admission.py) and those SCIM provisions (services/people/scim/).
When SCIM changes a group's members, the roles of the people it changed follow at once: the
roles the agency's providers map from groups are set to what the person's groups grant now.
Roles no mapping names (granted by hand) are never touched."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django_tenants.utils import tenant_context

from services.agencies.federation.models import IdentityProvider
from services.audit.actions import record_event
from services.people.interface import identities_of
from services.people.scim.interface import groups_of, members_changed
from tenants import access
from tenants.models import Agency, RoleGrant
from tenants.roles import AGENCY_ROLES


def group_mapped(providers: list[IdentityProvider], groups: set[str]) -> tuple[set[str], set[str]]:
    """(roles the groups grant, roles the providers' group mappings name at all)."""
    granted: set[str] = set()
    named: set[str] = set()
    for idp in providers:
        mapping = idp.group_roles or {}
        named |= set(mapping.values())
        granted |= {mapping[g] for g in groups if g in mapping}
    return granted & AGENCY_ROLES, named & AGENCY_ROLES


@receiver(members_changed)
def follow_groups(sender: Any, agency: Agency, person_ids: list[int], **kwargs: Any) -> None:
    providers = list(IdentityProvider.objects.filter(agency=agency, is_active=True))
    if not providers:
        return
    with tenant_context(agency):
        identities = identities_of(person_ids)
    for person_id, user_id in identities.items():
        granted, named = group_mapped(providers, groups_of(agency, person_id))
        held = set(
            RoleGrant.objects.filter(user_id=user_id, agency=agency).values_list("role", flat=True)
        )
        removed, added = (held & named) - granted, granted - held
        RoleGrant.objects.filter(user_id=user_id, agency=agency, role__in=removed).delete()
        for role in sorted(added):
            RoleGrant.objects.create(user_id=user_id, agency=agency, role=role)
        if added or removed:
            user = get_user_model().objects.get(pk=user_id)
            access.forget(user)
            record_event(
                None,
                "federation.roles_synced",
                user,
                agency=agency,
                via="scim_group",
                added=sorted(added),
                removed=sorted(removed),
            )
