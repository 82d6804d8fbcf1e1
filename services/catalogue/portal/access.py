"""Who may open the catalogue pages: the catalogue policy, asked with the request's viewer
(the catalogue actions check their roles again when something is written)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from services.catalogue import policies
from tenants.viewer import of_request


def require_manager(request: HttpRequest) -> None:
    """Central host, catalogue manager or platform admin."""
    if not policies.manages_catalogue(of_request(request)):
        raise PermissionDenied(_("Only a catalogue manager or platform admin may open this page."))
