"""The viewer: who asks, on which host, with which grants (docs/decisions/2026-12-07-viewer-
and-policies.md).

A Viewer is built once per request (`of_request`, cached on the request), and once per task or
command (`Viewer.of(user, agency)`). Every domain's `policies.py` takes one and answers "which
rows may this viewer see" (a function of the viewer and a queryset) and "may this viewer do
this" (a predicate); GraphQL types, portal pages, exports and the channels ask those, and none
of them tests roles itself.

Grants carry the agency's lifecycle: a grant in an agency that is not active counts for nothing
(tenants.access), so a suspended agency's people hold no role anywhere, on any host.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name

from tenants import access
from tenants.access import Identity, Rows
from tenants.models import Agency
from tenants.roles import CENTRAL_ROLES, Role

_REQUEST_ATTR = "_samnav_viewer"


@dataclass(frozen=True)
class Viewer:
    user: AbstractBaseUser | None  # a signed-in, active identity, or None
    agency: Agency | None  # the agency whose host serves the request; None: the central host
    grants: frozenset[tuple[str, int | None]]  # (role, agency id or None), effective now

    @classmethod
    def of(cls, user: Identity, agency: Agency | None = None) -> Viewer:
        """The viewer of `user` on `agency`'s host (None: the central host)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(None, agency, frozenset())
        return cls(user, agency, access.grants(user))

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def on_central_host(self) -> bool:
        return self.agency is None

    def central(self, *roles: Role | str) -> bool:
        """On the central host, holding one of `roles` centrally (any central role if none)."""
        return self.on_central_host and self.holds_central(*roles)

    def holds_central(self, *roles: Role | str) -> bool:
        """Holding one of `roles` centrally, whatever the host (any central role if none)."""
        wanted: Iterable[str] = roles or CENTRAL_ROLES
        held = {role for role, agency_id in self.grants if agency_id is None}
        return any(role in held for role in wanted)

    def member(self, *roles: Role | str) -> bool:
        """On an agency's host, holding one of `roles` in it (any role if none)."""
        if self.agency is None:
            return False
        held = {role for role, agency_id in self.grants if agency_id == self.agency.pk}
        return any(role in held for role in roles) if roles else bool(held)

    @property
    def admin_agency(self) -> Agency | None:
        """The host agency when the viewer is its admin, else None."""
        return self.agency if self.member(Role.AGENCY_ADMIN) else None

    def member_rows(self, queryset: Rows, owner: str) -> Rows:
        """An agency's rows as its members see them on its host: its admins all of them, its
        staff those whose `owner` (a lookup ending in an identity id, e.g.
        "requester__user_id") is theirs, anyone else none."""
        if self.member(Role.AGENCY_ADMIN):
            return queryset
        if self.member(Role.AGENCY_STAFF):
            return queryset.filter(**{owner: self.user_id})
        return queryset.none()

    def admin_rows(self, queryset: Rows) -> Rows:
        """An agency's rows for its admins, on its host; nobody else's."""
        return queryset if self.member(Role.AGENCY_ADMIN) else queryset.none()

    def central_rows(self, queryset: Rows, *roles: Role | str) -> Rows:
        """Central IT's rows for `roles` (any central role if none), on the central host."""
        return queryset if self.central(*roles) else queryset.none()


def host_agency_of(request: HttpRequest) -> Agency | None:
    """The agency whose host serves `request`, or None on the central host."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == get_public_schema_name():
        return None
    return tenant


def of_request(request: HttpRequest) -> Viewer:
    """The request's viewer, built on first use and kept for the rest of the request."""
    viewer = getattr(request, _REQUEST_ATTR, None)
    if viewer is None:
        viewer = Viewer.of(getattr(request, "user", None), host_agency_of(request))
        setattr(request, _REQUEST_ATTR, viewer)
    return viewer
