"""Who an identity provider may sign in, and what they get (issue 19).

`decide` runs before allauth writes anything; it refuses:
- a sign-in that would connect a provider to an identity already signed in (allauth's
  "connect"): an identity belongs to the provider that created it;
- an identity holding roles outside the provider's scope (another agency's, or central
  roles through an agency's provider): a provider of agency A never signs anyone into B or
  into a central role;
- a person the register has deactivated (deprovisioned by SCIM or by an admin);
- a person the register does not know, when the provider does not create people;
- a person whose identity (from another of the agency's providers, or an admin) holds roles
  outside the provider's scope;
- a sign-in that would leave the person with no role at all.

`admit` then links or creates the person in the agency's register and sets the identity's
roles to what the provider's mapping grants (roles the mapping never names, granted by hand,
are kept), all in one transaction, audited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from services.agencies.federation.assertion import Assertion
from services.agencies.federation.models import IdentityProvider
from services.audit.actions import record_event
from services.people.interface import Found, admit_person, find_person
from services.people.scim.interface import groups_of
from tenants import access
from tenants.models import AgencyKind, RoleGrant, User
from tenants.roles import AGENCY_ROLES, CENTRAL_ROLES


class Refused(Exception):
    """A sign-in refused; `reason` is one of pages.REASONS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decision:
    roles: frozenset[str]
    found: Found | None  # None for central IT's provider (central IT has no register)
    # The identity the person already has in this agency (another of its providers, or an
    # admin, gave it): the provider's subject is linked to it rather than to a new one.
    adopt: User | None = None


def is_central(idp: IdentityProvider) -> bool:
    return idp.agency.kind == AgencyKind.CENTRAL


def scope_roles(idp: IdentityProvider) -> frozenset[str]:
    return frozenset(CENTRAL_ROLES if is_central(idp) else AGENCY_ROLES)


def managed_roles(idp: IdentityProvider) -> frozenset[str]:
    named = set((idp.group_roles or {}).values()) | ({idp.default_role} - {""})
    return frozenset(named) & scope_roles(idp)


def mapped_roles(idp: IdentityProvider, groups: set[str]) -> frozenset[str]:
    """The roles `idp` grants someone in `groups`: its role for everyone, and its mapping's."""
    roles = {idp.default_role} if idp.default_role else set()
    mapping = idp.group_roles or {}
    roles |= {mapping[group] for group in groups if group in mapping}
    return frozenset(roles) & scope_roles(idp)


def username_for(idp: IdentityProvider, subject: str) -> str:
    """The identity's username: the provider's key and the subject (hashed when long)."""
    name = f"{idp.key}:{subject}"
    if len(name) <= 150:
        return name
    return f"{idp.key}:{hashlib.sha256(subject.encode()).hexdigest()}"


def _grants_in_scope(idp: IdentityProvider, user: User) -> bool:
    agency_id = None if is_central(idp) else idp.agency_id
    rows = RoleGrant.objects.filter(user=user).values_list("agency_id", flat=True)
    return all(row == agency_id for row in rows)


def _grants_here(idp: IdentityProvider, user: User) -> QuerySet[RoleGrant]:
    """The identity's grants in the provider's scope: its agency's, or central ones."""
    grants = RoleGrant.objects.filter(user=user)
    return (
        grants.filter(agency__isnull=True) if is_central(idp) else grants.filter(agency=idp.agency)
    )


def decide(
    idp: IdentityProvider, assertion: Assertion, user: User | None, process: str
) -> Decision:
    if process != "login":
        raise Refused("connect")
    found = None
    if not is_central(idp):
        found = find_person(
            idp.agency, user.pk if user else None, assertion.subject, assertion.email
        )
        if found.refusal:
            raise Refused(found.refusal)
    adopt = None
    if user is None and found is not None and found.person is not None and found.person.user_id:
        adopt = User.objects.filter(pk=found.person.user_id).first()
    identity = user or adopt
    if identity is not None and not _grants_in_scope(idp, identity):
        raise Refused("scope")
    groups = set(assertion.groups)  # and the person's SCIM groups (groups.py)
    if found is not None and found.person is not None:
        groups |= groups_of(idp.agency, found.person.pk)
    roles = mapped_roles(idp, groups)
    kept: set[str] = set()
    if identity is not None:
        held = _grants_here(idp, identity)
        kept = set(held.values_list("role", flat=True)) - managed_roles(idp)
    if not roles and not kept:
        raise Refused("no_role")
    if is_central(idp) and identity is not None and not identity.is_active:
        raise Refused("deactivated")
    if found is not None and found.person is None and not idp.creates_people:
        raise Refused("unknown_person")
    return Decision(roles, found, adopt)


def admit(idp: IdentityProvider, assertion: Assertion, user: User, decision: Decision) -> None:
    """After `decide`: the person linked or created, the identity's roles as mapped."""
    with transaction.atomic():
        if not user.is_active:  # reactivated in the register (SCIM or an admin)
            User.objects.filter(pk=user.pk).update(is_active=True)
            user.is_active = True
        if decision.found is not None:
            admit_person(
                idp.agency,
                user,
                decision.found,
                name=assertion.name,
                email=assertion.email,
                via=f"idp:{idp.key}",
            )
        held = set(_grants_here(idp, user).values_list("role", flat=True))
        removed = (held & managed_roles(idp)) - decision.roles
        added = decision.roles - held
        _grants_here(idp, user).filter(role__in=removed).delete()
        for role in sorted(added):
            RoleGrant.objects.create(
                user=user, agency=None if is_central(idp) else idp.agency, role=role
            )
        if added or removed:
            record_event(
                user,
                "federation.roles_synced",
                user,
                agency=None if is_central(idp) else idp.agency,
                idp=idp.key,
                added=sorted(added),
                removed=sorted(removed),
            )
    access.forget(user)
