"""Who uses and keeps the service desk's tools (tenants/viewer.py): agents on the central host
use canned answers and keep their own saved views; the desk (agents and platform admins)
writes the canned answers."""

from __future__ import annotations

from django.db.models import QuerySet

from services.support.desk.models import CannedAnswer, SavedView
from tenants.roles import SERVICE_DESK, TICKET_AGENTS
from tenants.viewer import Viewer


def canned_answers(viewer: Viewer, queryset: QuerySet[CannedAnswer]) -> QuerySet[CannedAnswer]:
    """Every canned answer, for central IT's agents (whatever the host they reply from)."""
    return queryset if viewer.holds_central(*TICKET_AGENTS) else queryset.none()


def keeps_canned_answers(viewer: Viewer) -> bool:
    """Service-desk agents and platform admins write and delete canned answers."""
    return viewer.holds_central(*SERVICE_DESK)


def saved_views(viewer: Viewer, queryset: QuerySet[SavedView]) -> QuerySet[SavedView]:
    """An agent's own saved views; nobody sees another's."""
    if not viewer.holds_central(*TICKET_AGENTS) or viewer.user_id is None:
        return queryset.none()
    return queryset.filter(owner_id=viewer.user_id)


def saves_views(viewer: Viewer) -> bool:
    return viewer.holds_central(*TICKET_AGENTS)
