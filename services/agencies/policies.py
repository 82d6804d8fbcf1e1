"""Who sees which agencies (tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-
policies.md). Asked by the GraphQL types and queries (api/tenants/) and the shell's pages."""

from __future__ import annotations

from tenants.models import AgencyQuerySet
from tenants.roles import Role
from tenants.viewer import Viewer


def agencies(viewer: Viewer, queryset: AgencyQuerySet) -> AgencyQuerySet:
    """Member agencies: on an agency's host its members see it; on the central host central
    roles see every one, anyone else the agencies they hold a role in."""
    members = queryset.members()
    if viewer.user is None:
        return members.none()
    if viewer.agency is not None:
        return members.filter(pk=viewer.agency.pk) if viewer.member() else members.none()
    if viewer.holds_central():
        return members
    return members.filter(pk__in=member_of(viewer))


def member_of(viewer: Viewer) -> frozenset[int]:
    """The ids of the agencies the viewer holds a role in (active ones only)."""
    return frozenset(agency_id for _role, agency_id in viewer.grants if agency_id is not None)


def is_member(viewer: Viewer) -> bool:
    """Holds a role in the agency whose host this is."""
    return viewer.member()


def administers_platform(viewer: Viewer) -> bool:
    """A platform admin on the central host: onboarding, suspending, offboarding agencies."""
    return viewer.central(Role.PLATFORM_ADMIN)


def is_platform_admin(viewer: Viewer) -> bool:
    """Holds the platform admin role centrally, whatever the host (for actions)."""
    return viewer.holds_central(Role.PLATFORM_ADMIN)


def administers_agency(viewer: Viewer) -> bool:
    """An admin of the viewer's agency (its host's admin site)."""
    return viewer.member(Role.AGENCY_ADMIN)


def central_roles(viewer: Viewer) -> list[str]:
    """The central roles the viewer holds (shown on the central home page)."""
    return sorted(role for role, agency_id in viewer.grants if agency_id is None)


def roles_here(viewer: Viewer) -> list[str]:
    """The roles the viewer holds in the agency whose host this is."""
    if viewer.agency is None:
        return []
    return sorted(role for role, agency_id in viewer.grants if agency_id == viewer.agency.pk)


def central_home_agencies(viewer: Viewer, queryset: AgencyQuerySet) -> AgencyQuerySet:
    """The central home page lists every member agency to central roles, and none to others."""
    return queryset.members() if viewer.central() else queryset.none()
