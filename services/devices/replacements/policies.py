"""Who sees replacement proposals (tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-
policies.md). Asked by the GraphQL type (api/incidents/) and the proposals page
(replacements/portal.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from services.devices.replacements.models import ReplacementProposal
from tenants.viewer import Viewer


def proposals(
    viewer: Viewer, queryset: QuerySet[ReplacementProposal]
) -> QuerySet[ReplacementProposal]:
    """Devices due for replacement: the host agency's admins only."""
    return viewer.admin_rows(queryset)


def decides_proposals(viewer: Viewer) -> bool:
    """The host agency's admins see and decide its proposals (the page)."""
    return viewer.admin_agency is not None
