"""Who may open an agency host's page: the host's agency, when the user holds one of the roles
there. The pages' own modules say which roles and what a refused user reads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from portal.nav import is_central_host
from tenants.viewer import of_request


def host_agency(request, roles, refusal: str):
    """The host's agency, when the user holds one of `roles` in it (agency hosts only);
    otherwise PermissionDenied with `refusal`."""
    agency = getattr(request, "tenant", None)
    if agency is None or is_central_host(request) or not of_request(request).member(*roles):
        raise PermissionDenied(refusal)
    return agency
