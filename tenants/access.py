"""Who may do what: role grants of an identity, read once per request."""

from __future__ import annotations

from collections.abc import Iterable

from tenants.models import RoleGrant
from tenants.roles import CENTRAL_ROLES, Role

_CACHE_ATTR = "_samnav_grants"


def grants(user) -> frozenset[tuple[str, int | None]]:
    """(role, agency_id) pairs of the user, cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(
            RoleGrant.objects.filter(user_id=user.pk).values_list("role", "agency_id")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def central_roles(user) -> frozenset[str]:
    return frozenset(role for role, agency_id in grants(user) if agency_id is None)


def has_central_role(user, *roles: Role | str) -> bool:
    """True when the user holds one of `roles` centrally (any central role if none given)."""
    held = central_roles(user)
    wanted: Iterable[str] = roles or CENTRAL_ROLES
    return any(role in held for role in wanted)


def agency_roles(user, agency) -> frozenset[str]:
    if agency is None:
        return frozenset()
    return frozenset(role for role, agency_id in grants(user) if agency_id == agency.pk)


def has_agency_role(user, agency, *roles: Role | str) -> bool:
    held = agency_roles(user, agency)
    return any(role in held for role in roles) if roles else bool(held)


def agency_ids(user) -> frozenset[int]:
    return frozenset(agency_id for _role, agency_id in grants(user) if agency_id is not None)


def member_rows(queryset, user, agency, owner: str):
    """An agency's rows as its members see them: its admins all of them, its staff the rows
    whose `owner` (a lookup ending in a person's identity id, e.g. "requester__user_id") is
    theirs, anyone else none. One rule for the API's types and the portal's pages."""
    if has_agency_role(user, agency, Role.AGENCY_ADMIN):
        return queryset
    if has_agency_role(user, agency, Role.AGENCY_STAFF):
        return queryset.filter(**{owner: user.pk})
    return queryset.none()
