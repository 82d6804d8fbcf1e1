"""Who sees the outbox: an agency's outgoing messages (its admins, on its host) and central
IT's status page (platform admins and the service desk, on the central host) (tenants/
viewer.py; docs/decisions/2026-12-07-viewer-and-policies.md).

Asked by the GraphQL types (api/outbox/) and the portal's pages (outbox/portal.py); retrying
asks `retries_messages` (outbox/actions.py).
"""

from __future__ import annotations

from tenants.roles import SERVICE_DESK, Role
from tenants.viewer import Rows, Viewer


def outgoing_messages(viewer: Viewer, queryset: Rows) -> Rows:
    """The agency's messages: its admins, on its host (the rows live in its schema)."""
    return viewer.admin_rows(queryset)


def is_admin(viewer: Viewer) -> bool:
    """An admin of the agency whose host this is (the agency's outbox page)."""
    return viewer.admin_agency is not None


def watches_outbox(viewer: Viewer) -> bool:
    """Central IT's outbox page: platform admins and the service desk, on the central host."""
    return viewer.central(*SERVICE_DESK)


def retries_messages(viewer: Viewer) -> bool:
    """Who sends failed messages again, from any host: the admins of the agency acted on its
    own; platform admins and the service desk, centrally, every one (no agency acted on)."""
    if viewer.agency is not None:
        return viewer.member(Role.AGENCY_ADMIN)
    return viewer.holds_central(*SERVICE_DESK)
