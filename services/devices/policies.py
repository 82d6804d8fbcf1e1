"""Who sees which devices (tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-
policies.md).

Asked by the GraphQL types and queries (api/devices/) and the register's page
(devices/portal.py).
"""

from __future__ import annotations

from django.db.models import QuerySet

from services.devices.models import Device, Handover, Loan
from tenants.roles import CUSTODIANS, HUB_WORKERS, Role
from tenants.viewer import Viewer


def devices(viewer: Viewer, queryset: QuerySet[Device]) -> QuerySet[Device]:
    """On the agency's host: its admins see every device, its staff the ones they hold."""
    return viewer.member_rows(queryset, "holder__user_id")


def handovers(viewer: Viewer, queryset: QuerySet[Handover]) -> QuerySet[Handover]:
    """A device's chain of custody: reached only through a device the viewer may see."""
    return queryset


def keeps_register(viewer: Viewer) -> bool:
    """The host agency's admins keep its device register (its page)."""
    return viewer.admin_agency is not None


def reaches_any_agency(viewer: Viewer) -> bool:
    """Central IT's custodians, on the central host: one device of any agency by its id."""
    return viewer.central(*CUSTODIANS)


def keeps_agency_register(viewer: Viewer) -> bool:
    """The agency's admins register and update its devices."""
    return viewer.member(Role.AGENCY_ADMIN)


def records_handovers(viewer: Viewer) -> bool:
    """The agency's admins and central IT's custodians (any host) record hand-overs."""
    return viewer.member(Role.AGENCY_ADMIN) or viewer.holds_central(*CUSTODIANS)


def holds_as_technician(viewer: Viewer) -> bool:
    """A technician, whatever the host: may take a device into custody."""
    return viewer.holds_central(Role.TECHNICIAN)


def lends_loaners(viewer: Viewer) -> bool:
    """Hub staff, the service desk and platform admins, whatever the host: lend a hub's loaner
    to a person of an agency and take it back."""
    return viewer.holds_central(*HUB_WORKERS)


def loans(viewer: Viewer, queryset: QuerySet[Loan]) -> QuerySet[Loan]:
    """An agency's loans (who has which loaner): those who lend them, on the central host."""
    return viewer.central_rows(queryset, *HUB_WORKERS)
