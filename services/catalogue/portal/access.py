"""Who may open the catalogue pages: the roles the catalogue actions require."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from config.portal.nav import is_central_host
from tenants import access
from tenants.roles import CATALOGUE_KEEPERS


def require_manager(request) -> None:
    """Central host, catalogue manager or platform admin."""
    if not is_central_host(request) or not access.has_central_role(
        request.user, *CATALOGUE_KEEPERS
    ):
        raise PermissionDenied(_("Only a catalogue manager or platform admin may open this page."))
