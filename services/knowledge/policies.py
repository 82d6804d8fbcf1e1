"""Who sees what in the knowledge base: central IT's shared articles and an agency's own
(tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-policies.md).

Asked by the GraphQL types and lists (api/knowledge/); the lists search within `scope`, by
the same rules as the types. The actions check their roles again when something is written.
"""

from __future__ import annotations

from services.knowledge.search import Scope
from tenants.roles import KNOWLEDGE_EDITORS, Role
from tenants.viewer import Viewer


def reads_knowledge(viewer: Viewer) -> bool:
    """Central roles on the central host, an agency's members on their agency's host."""
    return viewer.central() or viewer.member()


def scope(viewer: Viewer) -> Scope:
    """Which articles the viewer's lists show: on the central host the shared ones (drafts to
    their editors); on an agency's host the shared ones published and the agency's own (drafts
    to its admins)."""
    if viewer.agency is None:
        return Scope(agency=None, shared_drafts=viewer.holds_central(*KNOWLEDGE_EDITORS))
    return Scope(agency=viewer.agency, agency_drafts=viewer.member(Role.AGENCY_ADMIN))


def shared_articles(viewer: Viewer, queryset):
    """Central IT's articles: to every reader when published, drafts too to their editors."""
    if not reads_knowledge(viewer):
        return queryset.none()
    return queryset if scope(viewer).shared_drafts else queryset.filter(published=True)


def agency_articles(viewer: Viewer, queryset):
    """An agency's own articles: only on its host (its schema is the connection's), to its
    members when published, drafts too to its admins."""
    if viewer.agency is None or not reads_knowledge(viewer):
        return queryset.none()
    return queryset if scope(viewer).agency_drafts else queryset.filter(published=True)
