"""Who may do what in the cost split."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tenants import access
from tenants.roles import Role

READERS = (Role.FINANCE, Role.PLATFORM_ADMIN)


def require_finance(actor) -> None:
    """Writes of the split are finance's (central role)."""
    if not access.has_central_role(actor, Role.FINANCE):
        raise PermissionDenied(_("This needs the finance role."))


def require_agency_admin(actor, agency) -> None:
    if agency is None or not access.has_agency_role(actor, agency, Role.AGENCY_ADMIN):
        raise PermissionDenied(_("This needs the agency admin role of this agency."))


def is_reader(actor) -> bool:
    return access.has_central_role(actor, *READERS)
