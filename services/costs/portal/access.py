"""Who may open the cost pages: the same roles the actions and the API require."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from config.portal.guards import host_agency
from config.portal.nav import is_central_host
from services.costs.permissions import is_reader
from tenants import access
from tenants.roles import Role


def require_reader(request) -> bool:
    """Finance and platform admins, on the central host. Returns whether the user may write
    (finance); the actions check that again."""
    if not is_central_host(request) or not is_reader(request.user):
        raise PermissionDenied(_("Only finance and platform admins may open the cost split."))
    return access.has_central_role(request.user, Role.FINANCE)


def require_admin(request):
    """The host's agency, when the user is one of its admins (agency hosts only)."""
    return host_agency(
        request, (Role.AGENCY_ADMIN,), _("Only an admin of this agency may open its costs.")
    )
