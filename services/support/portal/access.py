"""Who may open which support page: the support policies, asked with the request's viewer
(the actions check again when something is written)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from services.support import policies
from tenants.viewer import of_request


def require_member(request: HttpRequest) -> None:
    if not policies.is_member(of_request(request)):
        raise PermissionDenied(_("You have no role in this agency."))


def is_admin(request: HttpRequest) -> bool:
    return policies.is_admin(of_request(request))


def require_admin(request: HttpRequest) -> None:
    if not is_admin(request):
        raise PermissionDenied(_("This page is for the agency's admins."))


def require_agent(request: HttpRequest) -> None:
    if not policies.works_tickets_anywhere(of_request(request)):
        raise PermissionDenied(_("This page is for central IT's service desk."))
