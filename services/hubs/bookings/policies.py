"""Who sees an agency's hub bookings (tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-
policies.md). A hub's day over every agency is in services/hubs/policies.py.

Asked by the GraphQL types (api/hubs/) and the agency's booking pages (bookings/portal.py).
"""

from __future__ import annotations

from django.db.models import QuerySet

from services.hubs.bookings.models import Booking
from tenants.roles import HUB_DESK, Role
from tenants.viewer import Viewer


def bookings(viewer: Viewer, queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    """On the agency's host: its admins see every booking, its staff their own."""
    return viewer.member_rows(queryset, "person__user_id")


def is_member(viewer: Viewer) -> bool:
    """Holds a role in the agency whose host this is (its booking pages)."""
    return viewer.member()


def is_admin(viewer: Viewer) -> bool:
    """One of the host agency's admins: books for anyone, sees all of its bookings."""
    return viewer.admin_agency is not None


def may_book_for_others(viewer: Viewer) -> bool:
    """The agency's admins book for any of its people; its staff only for themselves."""
    return viewer.member(Role.AGENCY_ADMIN)


def cancels_any_booking(viewer: Viewer) -> bool:
    """The agency's admins cancel any of its bookings."""
    return viewer.member(Role.AGENCY_ADMIN)


def marks_attendance(viewer: Viewer) -> bool:
    """Hub staff and the service desk, whatever the host: mark a person attended."""
    return viewer.holds_central(*HUB_DESK)
