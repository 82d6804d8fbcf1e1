"""Who sees what of licences: the pools with their quotas, an agency's seats and its people
(tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-policies.md).

Asked by the GraphQL types (api/licences/) and the pool pages (licences/portal.py); the
actions ask `manages_pools_anywhere` when a pool or quota is written.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Prefetch, QuerySet

from services.licences.compliance import with_agency_position, with_pool_position
from services.licences.models import AgencyQuota, LicencePool
from tenants.models import Agency
from tenants.roles import CATALOGUE_KEEPERS, Role
from tenants.viewer import Viewer

RowsT = TypeVar("RowsT", bound=QuerySet[Any])


def manages_pools(viewer: Viewer) -> bool:
    """Catalogue managers and platform admins, on the central host: every pool, every quota."""
    return viewer.central(*CATALOGUE_KEEPERS)


def pools(viewer: Viewer, queryset: QuerySet[LicencePool]) -> QuerySet[LicencePool]:
    """Central IT's keepers see every pool with every agency's quota and the pool's position;
    an agency's admins see the pools they have a quota in, with their own quota and position
    only. Never anyone's people."""
    if manages_pools(viewer):
        quotas = AgencyQuota.objects.select_related("agency").order_by("agency__name")
        return with_pool_position(queryset).prefetch_related(Prefetch("quotas", queryset=quotas))
    agency = viewer.admin_agency
    if agency is not None:
        own = AgencyQuota.objects.filter(agency=agency).select_related("agency")
        mine = with_agency_position(queryset.filter(quotas__agency=agency), agency)
        return mine.prefetch_related(Prefetch("quotas", queryset=own))
    return queryset.none()


def people(viewer: Viewer, queryset: RowsT) -> RowsT:
    """The agency's people: its admins, on its host."""
    return viewer.admin_rows(queryset)


def seats(viewer: Viewer, queryset: RowsT) -> RowsT:
    """The agency's licence seats: its admins, on its host."""
    return viewer.admin_rows(queryset)


def manages_pools_anywhere(viewer: Viewer) -> bool:
    """The actions' writes of pools and quotas: catalogue managers and platform admins,
    centrally, from any host."""
    return viewer.holds_central(*CATALOGUE_KEEPERS)


def seats_agency(viewer: Viewer) -> Agency | None:
    """The host agency when the viewer is its admin: the people and seats pages."""
    return viewer.admin_agency


def keeps_seats(viewer: Viewer) -> bool:
    """The actions' writes of seats: an admin of the agency acted on assigns and releases its
    people's seats."""
    return viewer.member(Role.AGENCY_ADMIN)
