"""Who sees and does what in support: tickets, their messages, files and clocks, and central
IT's ticket queue (tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-policies.md).

Asked by the GraphQL types (api/support/), the portal's pages (support/portal/) and the
actions; none of them tests roles itself.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Q, QuerySet

from services.crossindex.models import IndexEntry, IndexKind
from services.support.models import Ticket, TicketFollower
from tenants.models import User
from tenants.roles import QUEUE_READERS, SERVICE_DESK, TICKET_AGENTS, Role
from tenants.viewer import Viewer

Rows = TypeVar("Rows", bound=QuerySet[Any])


def tickets(viewer: Viewer, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """On the agency's host: its admins see its tickets, its staff their own and those they
    follow (a colleague's, from the CC of a mail), nobody else any."""
    if viewer.member(Role.AGENCY_STAFF) and not viewer.member(Role.AGENCY_ADMIN):
        followed = TicketFollower.objects.filter(person__user_id=viewer.user_id)
        return queryset.filter(
            Q(requester__user_id=viewer.user_id) | Q(pk__in=followed.values("ticket_id"))
        )
    return viewer.member_rows(queryset, "requester__user_id")


def ticket_parts(viewer: Viewer, queryset: Rows) -> Rows:
    """Messages, files and clock events: reached only through a ticket that `tickets` (or the
    queue) lets the viewer see; internal notes are left out by the ticket for non-agents."""
    return queryset


def ticket_queue(viewer: Viewer, queryset: QuerySet[IndexEntry]) -> QuerySet[IndexEntry]:
    """Central IT's queue of every agency's tickets: agents, on the central host."""
    return viewer.central_rows(queryset.filter(kind=IndexKind.TICKET), *TICKET_AGENTS)


def is_member(viewer: Viewer) -> bool:
    """Holds a role in the agency whose host this is (the agency's support pages)."""
    return viewer.member()


def is_admin(viewer: Viewer) -> bool:
    return viewer.admin_agency is not None


def works_tickets_anywhere(viewer: Viewer) -> bool:
    """An agent of central IT, whatever the host: works on any agency's tickets, may be
    assigned one, and reads internal notes (nobody else does)."""
    return viewer.holds_central(*TICKET_AGENTS)


def acts_for_anyone(viewer: Viewer) -> bool:
    """Central IT's agents and the agency's admins: open and write on any of its tickets."""
    return works_tickets_anywhere(viewer) or viewer.member(Role.AGENCY_ADMIN)


def reads_agency_compliance(viewer: Viewer) -> bool:
    """The agency's admins read its own compliance figures."""
    return viewer.member(Role.AGENCY_ADMIN)


def reads_all_compliance(viewer: Viewer) -> bool:
    """Platform admins, service-desk agents and finance read every agency's figures."""
    return viewer.holds_central(*QUEUE_READERS)


def records_reviews(viewer: Viewer) -> bool:
    """Platform admins and service-desk agents record and complete OLA review actions."""
    return viewer.holds_central(*SERVICE_DESK)


def ticket_agents(viewer: Viewer, users: QuerySet[User]) -> QuerySet[User]:
    """The identities a ticket may be assigned to (central IT's agents), listed for agents."""
    if not works_tickets_anywhere(viewer):
        return users.none()
    return (
        users.filter(is_active=True, grants__agency__isnull=True, grants__role__in=TICKET_AGENTS)
        .distinct()
        .order_by("username")
    )
