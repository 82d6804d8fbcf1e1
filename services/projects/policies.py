"""Who sees which joint project (tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-
policies.md).

- any central role, on the central host: every project;
- an agency's admins and staff, on their agency's host: the projects their agency takes part
  in (has a share row in, a zero weight included), and no other.

A participant sees the other participants' names and shares: the shares are agreed among the
participants (issue 7), so they are no secret among them; agencies outside the project see
nothing of it. Asked by the GraphQL types and queries (api/projects/); writes are finance's
(services/projects/actions/ asks `writes_projects`).
"""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet

from services.projects.models import Milestone, Project
from tenants.models import Agency
from tenants.roles import FINANCE_OFFICERS
from tenants.viewer import Viewer


def reads_projects(viewer: Viewer) -> bool:
    """Central roles on the central host; the agency's members on its host."""
    return viewer.member() if viewer.agency is not None else viewer.central()


def projects(viewer: Viewer, queryset: QuerySet[Project]) -> QuerySet[Project]:
    """The projects the viewer may see on this host."""
    if viewer.agency is None:
        return queryset if viewer.central() else queryset.none()
    if viewer.member():
        # one share row per agency; the host's agency (Viewer types it loosely, as an object)
        agency = cast(Agency, viewer.agency)
        return queryset.filter(shares__agency=agency)
    return queryset.none()


def milestones(viewer: Viewer, queryset: QuerySet[Milestone]) -> QuerySet[Milestone]:
    """The milestones of the projects the viewer may see."""
    return queryset.filter(project__in=projects(viewer, Project.objects.all()))


def writes_projects(viewer: Viewer) -> bool:
    """The actions' writes: finance and platform admins, centrally, from any host."""
    return viewer.holds_central(*FINANCE_OFFICERS)
