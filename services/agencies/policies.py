"""Who sees which agencies (tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-
policies.md). Asked by the GraphQL types and queries (api/tenants/) and the shell's pages."""

from __future__ import annotations

from django.db.models import QuerySet

from tenants import access
from tenants.models import AgencyQuerySet, AgencyState, ApiToken, RoleGrant
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


# --- Personal API tokens (services/agencies/tokens.py) ----------------------------------------
# Lifecycle: the viewer's grants count only in active agencies (tenants.access), so the admin
# of a suspended agency holds nothing here; an identity whose agencies are all closed, or a
# host that is not an active agency, lists and revokes nothing, not even its own.


def _signed_in_here(viewer: Viewer) -> bool:
    if viewer.user is None or access.lifecycle_refusal(viewer.user) is not None:
        return False
    if viewer.agency is None:
        return True
    return viewer.agency.state == AgencyState.ACTIVE and viewer.member()


def own_api_tokens(viewer: Viewer, queryset: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
    """The viewer's own tokens: on the central host, or on the host of an agency they are a
    member of."""
    user_id = viewer.user_id
    if user_id is None or not _signed_in_here(viewer):
        return queryset.none()
    return queryset.filter(user_id=user_id)


def lists_agency_api_tokens(viewer: Viewer) -> bool:
    """An admin of the host's agency, on its host: lists and revokes its people's tokens."""
    return _signed_in_here(viewer) and viewer.member(Role.AGENCY_ADMIN)


def agency_api_tokens(viewer: Viewer, queryset: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
    """For an admin of the host's agency: the tokens of every identity holding a role in it
    (the admin's own included); for anyone else, none."""
    if not lists_agency_api_tokens(viewer) or viewer.agency is None:
        return queryset.none()
    people = RoleGrant.objects.filter(agency_id=viewer.agency.pk).values("user_id")
    return queryset.filter(user_id__in=people)


def api_tokens(viewer: Viewer, queryset: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
    """Every token the viewer may see and revoke: their own, and for an agency's admin on its
    host, those of the agency's people."""
    own = own_api_tokens(viewer, queryset)
    if not lists_agency_api_tokens(viewer):
        return own
    return own | agency_api_tokens(viewer, queryset)
