"""Who may open the cost pages: the cost split's policies, asked with the request's viewer
(the actions check again when something is written)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from services.costs import policies
from tenants.models import Agency
from tenants.viewer import of_request


def require_reader(request: HttpRequest) -> bool:
    """Finance and platform admins, on the central host. Returns whether the user may write
    (finance); the actions check that again."""
    viewer = of_request(request)
    if not policies.reads_split(viewer):
        raise PermissionDenied(_("Only finance and platform admins may open the cost split."))
    return policies.writes_split(viewer)


def require_admin(request: HttpRequest) -> Agency:
    """The host's agency, when the user is one of its admins (agency hosts only)."""
    agency = policies.own_agency(of_request(request))
    if agency is None:
        raise PermissionDenied(_("Only an admin of this agency may open its costs."))
    return agency
