"""Who sees what in the knowledge base: central IT's shared articles and an agency's own
(tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-policies.md).

Asked by the GraphQL types and lists (api/knowledge/); the lists search within `scope`, by
the same rules as the types. The actions ask the predicates below when something is written.
"""

from __future__ import annotations

from django.db.models import QuerySet

from services.knowledge.agency.interface import AgencyArticle
from services.knowledge.models import Article
from services.knowledge.search import Scope
from tenants.roles import KNOWLEDGE_EDITORS, KNOWLEDGE_REPORT_READERS, Role
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


def shared_articles(viewer: Viewer, queryset: QuerySet[Article]) -> QuerySet[Article]:
    """Central IT's articles: to every reader when published, drafts too to their editors."""
    if not reads_knowledge(viewer):
        return queryset.none()
    return queryset if scope(viewer).shared_drafts else queryset.filter(published=True)


def agency_articles(viewer: Viewer, queryset: QuerySet[AgencyArticle]) -> QuerySet[AgencyArticle]:
    """An agency's own articles: only on its host (its schema is the connection's), to its
    members when published, drafts too to its admins."""
    if viewer.agency is None or not reads_knowledge(viewer):
        return queryset.none()
    return queryset if scope(viewer).agency_drafts else queryset.filter(published=True)


def edits_shared_articles(viewer: Viewer) -> bool:
    """Holds a knowledge-editor role centrally (catalogue managers, the service desk)."""
    return viewer.holds_central(*KNOWLEDGE_EDITORS)


def edits_agency_articles(viewer: Viewer) -> bool:
    """An admin of the viewer's agency, who writes that agency's own articles."""
    return viewer.member(Role.AGENCY_ADMIN)


def records_outcomes(viewer: Viewer) -> bool:
    """Holds any role in the viewer's agency, so may record how its suggestions ended."""
    return viewer.member()


def reads_self_help_report(viewer: Viewer) -> bool:
    """Central IT's report readers for every agency; an agency's admins for their own."""
    return viewer.holds_central(*KNOWLEDGE_REPORT_READERS) or viewer.member(Role.AGENCY_ADMIN)


def rates_articles(viewer: Viewer) -> bool:
    """A member of the viewer's agency, on its host, who may say whether an article helped."""
    return viewer.member()


def reads_ratings(viewer: Viewer) -> bool:
    """The editors of the shared articles see how their readers rated them."""
    return edits_shared_articles(viewer)
