"""Who dispatches visits, who works them, and who sees the technicians (tenants/viewer.py;
docs/decisions/2026-12-07-viewer-and-policies.md). Which visits each sees is in
services/field/visits/policies.py.

Asked by the GraphQL types (api/visits/) and central IT's visit pages (visits/portal/).
"""

from __future__ import annotations

from django.db.models import QuerySet

from services.field.models import Technician
from tenants.roles import SERVICE_DESK, TICKET_AGENTS, Role
from tenants.viewer import Viewer


def dispatches(viewer: Viewer) -> bool:
    """The service desk (and platform admins), on the central host: the dispatch board."""
    return viewer.central(*SERVICE_DESK)


def is_technician(viewer: Viewer) -> bool:
    """A technician, on the central host: their own visits."""
    return viewer.central(Role.TECHNICIAN)


def technicians(viewer: Viewer, queryset: QuerySet[Technician]) -> QuerySet[Technician]:
    """The technicians: central IT's dispatchers and technicians, on the central host."""
    return viewer.central_rows(queryset, *TICKET_AGENTS)


def dispatches_anywhere(viewer: Viewer) -> bool:
    """The service desk (and platform admins), whatever the host: dispatch a visit."""
    return viewer.holds_central(*SERVICE_DESK)


def works_as_technician(viewer: Viewer) -> bool:
    """Holds the technician role, whatever the host: may be booked for visits."""
    return viewer.holds_central(Role.TECHNICIAN)
