"""Who may open which support page (the actions check again when something is written)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from services.support.actions import is_agent
from tenants import access
from tenants.roles import Role


def require_member(request) -> None:
    if not access.has_agency_role(request.user, request.tenant):
        raise PermissionDenied(_("You have no role in this agency."))


def is_admin(request) -> bool:
    return access.has_agency_role(request.user, request.tenant, Role.AGENCY_ADMIN)


def require_admin(request) -> None:
    if not is_admin(request):
        raise PermissionDenied(_("This page is for the agency's admins."))


def require_agent(request) -> None:
    if not is_agent(request.user):
        raise PermissionDenied(_("This page is for central IT's service desk."))
