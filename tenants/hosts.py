"""Addresses of the portal, for what leaves it: a mail that links to its ticket names the host
of the ticket's agency (`<slug>.<SAMNAV_BASE_DOMAIN>`), or the central host."""

from __future__ import annotations

from django.conf import settings

from tenants.models import Agency


def portal_url(agency: Agency | None, path: str) -> str:
    """The absolute address of `path` on `agency`'s host (the central host when None), with
    the scheme and port the portal is reached on (SAMNAV_PORTAL_SCHEME, SAMNAV_PORTAL_PORT)."""
    host = (
        f"{agency.slug}.{settings.SAMNAV_BASE_DOMAIN}"
        if agency is not None
        else settings.SAMNAV_CENTRAL_HOST
    )
    port = str(getattr(settings, "SAMNAV_PORTAL_PORT", "") or "")
    scheme = getattr(settings, "SAMNAV_PORTAL_SCHEME", "https")
    return f"{scheme}://{host}{':' + port if port else ''}{path}"
