"""Who sees and configures an agency's identity providers: the agency's admins on its host,
and central IT's platform admins (for any agency, and for central IT's own provider) on the
central host. Nobody else, anywhere."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet

from tenants.models import Agency, AgencyKind
from tenants.roles import Role
from tenants.viewer import Viewer

RowsT = TypeVar("RowsT", bound=QuerySet[Any])


def providers(viewer: Viewer, queryset: RowsT) -> RowsT:
    if viewer.central(Role.PLATFORM_ADMIN):
        return queryset
    if viewer.admin_agency is not None:
        return queryset.filter(agency=viewer.admin_agency)
    return queryset.none()


def configures_providers(viewer: Viewer, agency: Agency) -> bool:
    if viewer.central(Role.PLATFORM_ADMIN):
        return agency.kind in (AgencyKind.AGENCY, AgencyKind.CENTRAL)
    return viewer.admin_agency is not None and viewer.admin_agency.pk == agency.pk
