"""Who may do what: role grants of an identity, read once per request.

The agency's lifecycle is part of every grant: a grant in an agency that is not active
(onboarding, suspended, offboarded) counts for nothing, on every host, channel and API. An
identity whose grants all lie in such agencies is refused outright
(`lifecycle_refusal`, enforced by `tenants.middleware.IdentityLifecycleMiddleware`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from tenants.models import Agency, AgencyState, RoleGrant
from tenants.roles import CENTRAL_ROLES, Role

_CACHE_ATTR = "_samnav_grants"
_REFUSAL_ATTR = "_samnav_lifecycle_refusal"

# Who asks: an identity (signed in or not), or nobody (a task, a command).
Identity = AbstractBaseUser | AnonymousUser | None
# Any queryset: the row rules hand back the queryset they were given, filtered.
Rows = TypeVar("Rows", bound="QuerySet[Any]")


def _load(user: AbstractBaseUser) -> None:
    rows = list(
        RoleGrant.objects.filter(user_id=user.pk).values_list("role", "agency_id", "agency__state")
    )
    effective = frozenset(
        (role, agency_id)
        for role, agency_id, state in rows
        if agency_id is None or state == AgencyState.ACTIVE
    )
    # Refused: grants, and none of them effective (the state of the agency that holds them).
    refusal: str | None = None
    if rows and not effective:
        states = {state for _role, _agency, state in rows}
        refusal = AgencyState.SUSPENDED if AgencyState.SUSPENDED in states else min(states)
    setattr(user, _CACHE_ATTR, effective)
    setattr(user, _REFUSAL_ATTR, refusal)


def grants(user: Identity) -> frozenset[tuple[str, int | None]]:
    """(role, agency_id) pairs of the user that count now (central ones, and those in active
    agencies), cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if getattr(user, _CACHE_ATTR, None) is None:
        _load(user)
    return getattr(user, _CACHE_ATTR)


def lifecycle_refusal(user: Identity) -> str | None:
    """The agency state that shuts this identity out (its grants all lie in agencies that are
    suspended, offboarded or not open yet), or None."""
    if user is None or not user.is_authenticated:
        return None
    grants(user)
    return getattr(user, _REFUSAL_ATTR, None)


def forget(user: Identity) -> None:
    for attr in (_CACHE_ATTR, _REFUSAL_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def central_roles(user: Identity) -> frozenset[str]:
    return frozenset(role for role, agency_id in grants(user) if agency_id is None)


def has_central_role(user: Identity, *roles: Role | str) -> bool:
    """True when the user holds one of `roles` centrally (any central role if none given)."""
    held = central_roles(user)
    wanted: Iterable[str] = roles or CENTRAL_ROLES
    return any(role in held for role in wanted)


def agency_roles(user: Identity, agency: Agency | None) -> frozenset[str]:
    if agency is None:
        return frozenset()
    return frozenset(role for role, agency_id in grants(user) if agency_id == agency.pk)


def has_agency_role(user: Identity, agency: Agency | None, *roles: Role | str) -> bool:
    held = agency_roles(user, agency)
    return any(role in held for role in roles) if roles else bool(held)


def agency_ids(user: Identity) -> frozenset[int]:
    return frozenset(agency_id for _role, agency_id in grants(user) if agency_id is not None)


def member_rows(queryset: Rows, user: Identity, agency: Agency | None, owner: str) -> Rows:
    """An agency's rows as its members see them: its admins all of them, its staff the rows
    whose `owner` (a lookup ending in a person's identity id, e.g. "requester__user_id") is
    theirs, anyone else none. One rule for the API's types and the portal's pages."""
    if has_agency_role(user, agency, Role.AGENCY_ADMIN):
        return queryset
    if user is not None and has_agency_role(user, agency, Role.AGENCY_STAFF):
        return queryset.filter(**{owner: user.pk})
    return queryset.none()
