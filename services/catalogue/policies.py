"""Who sees and does what in the catalogue: services, offerings, agreements and suppliers (read
by every member), supplier contracts (commercial: central IT's keepers and finance) and the
catalogue's pages (tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-policies.md).

Asked by the GraphQL types (api/catalogue/) and the portal's pages (catalogue/portal/); the
actions ask `manages_catalogue_anywhere` when something is written.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet

from tenants.roles import CATALOGUE_KEEPERS, CONTRACT_READERS
from tenants.viewer import Viewer

RowsT = TypeVar("RowsT", bound=QuerySet[Any])


def reads_catalogue(viewer: Viewer) -> bool:
    """Central roles on the central host, an agency's members on their agency's host."""
    return viewer.central() or viewer.member()


def catalogue(viewer: Viewer, queryset: RowsT) -> RowsT:
    """The shared catalogue's rows (services, offerings, agreements, suppliers): all of them
    for its readers, none for anyone else."""
    return queryset if reads_catalogue(viewer) else queryset.none()


def supplier_contracts(viewer: Viewer, queryset: RowsT) -> RowsT:
    """Contract values are commercial information: catalogue managers, platform admins and
    finance, on the central host; nobody else."""
    return viewer.central_rows(queryset, *CONTRACT_READERS)


def manages_catalogue(viewer: Viewer) -> bool:
    """The catalogue's pages: catalogue managers and platform admins, on the central host."""
    return viewer.central(*CATALOGUE_KEEPERS)


def manages_catalogue_anywhere(viewer: Viewer) -> bool:
    """The actions' writes: catalogue managers and platform admins, centrally, from any host."""
    return viewer.holds_central(*CATALOGUE_KEEPERS)
