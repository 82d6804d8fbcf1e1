"""Who may open the ordering pages: the ordering policies, asked with the request's viewer
(the actions check the roles again when something is written)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from services.ordering import policies
from tenants.models import Agency
from tenants.viewer import of_request


def require_admin(request: HttpRequest) -> Agency:
    """The host's agency, when the user is one of its admins (agency hosts only)."""
    agency = policies.ordering_agency(of_request(request))
    if agency is None:
        raise PermissionDenied(_("Only an admin of this agency may open this page."))
    return agency


def require_fulfiller(request: HttpRequest) -> None:
    if not policies.fulfils_orders(of_request(request)):
        raise PermissionDenied(_("Only the service desk and platform admins may open this page."))


def require_finance(request: HttpRequest) -> None:
    """Budget overrides: finance, on the central host."""
    viewer = of_request(request)
    if not (viewer.on_central_host and policies.overrides_budgets(viewer)):
        raise PermissionDenied(_("Only finance may open this page."))
