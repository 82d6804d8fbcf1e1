"""Who sees which visits, and when a technician sees where to go (tenants/viewer.py;
docs/decisions/2026-12-07-viewer-and-policies.md). The dispatchers and the technicians
themselves are in services/field/policies.py.

Asked by the GraphQL types (api/visits/) and the visit pages (visits/portal/); the actions
check again when something is written.
"""

from __future__ import annotations

from django.db.models import QuerySet

from services.field import policies as dispatch
from services.field.visits.models import Visit
from services.support import policies as support
from tenants.roles import Role
from tenants.viewer import Viewer


def visits(viewer: Viewer, queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    """On the agency's host: its admins see its visits, its staff their own."""
    return viewer.member_rows(queryset, "requester__user_id")


def is_member(viewer: Viewer) -> bool:
    """Holds a role in the agency whose host this is (its visit pages)."""
    return viewer.member()


def is_admin(viewer: Viewer) -> bool:
    """One of the host agency's admins: requests for any ticket, sees all of its visits."""
    return viewer.admin_agency is not None


def technician_visits(viewer: Viewer, queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    """Visits as technicians see them, on the central host: platform admins every one, anyone
    else those booked for them."""
    if viewer.user is None or not viewer.on_central_host:
        return queryset.none()
    if viewer.central(Role.PLATFORM_ADMIN):
        return queryset
    return queryset.filter(technician_id=viewer.user_id)


def works_visits(viewer: Viewer) -> bool:
    """Technicians and platform admins, on the central host: marking arrivals, completing."""
    return viewer.central(Role.TECHNICIAN, Role.PLATFORM_ADMIN)


def shows_place(viewer: Viewer, visit: Visit) -> bool:
    """A visit's address, contact and notes: its own technician, while the visit is active
    (on site, or within its arrival window: Visit.arrival_window)."""
    return (
        viewer.user is not None
        and visit.technician_id == viewer.user_id
        and viewer.central(Role.TECHNICIAN)
        and visit.is_active()
    )


def uses_any_ticket(viewer: Viewer) -> bool:
    """Central IT's agents and the agency's admins request visits for any of its tickets."""
    return support.works_tickets_anywhere(viewer) or viewer.member(Role.AGENCY_ADMIN)


def works_on(viewer: Viewer, visit: Visit) -> bool:
    """The visit's own technician, or a platform admin, whatever the host: arrive, complete."""
    own = visit.technician_id == viewer.user_id and dispatch.works_as_technician(viewer)
    return own or viewer.holds_central(Role.PLATFORM_ADMIN)


def cancels_any_visit(viewer: Viewer) -> bool:
    """The agency's admins and the service desk cancel any of its visits."""
    return viewer.member(Role.AGENCY_ADMIN) or dispatch.dispatches_anywhere(viewer)


def reaches_visits(viewer: Viewer) -> bool:
    """Members of the agency and central IT's agents: may ask about its visits at all."""
    return viewer.member() or support.works_tickets_anywhere(viewer)
