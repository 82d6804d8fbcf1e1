"""Content-Security-Policy for forms that lead to an identity provider.

`form-action 'self'` also governs where a submitted form may be redirected (Chromium applies
it to redirects), so the "Sign in with <provider>" buttons and a federated session's "Sign
out" (which ends the session at the provider too) would be stopped by the browser. On the
sign-in pages of a host with identity providers, those providers' origins are allowed as form
targets; on every page of a session that a provider signed in, that provider's origin is.
Other pages are untouched, and cost no query.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlparse

from django.http import HttpRequest, HttpResponse

from services.agencies.federation.models import IdentityProvider, ProviderKind
from tenants.sessions import FEDERATED

logger = logging.getLogger(__name__)


def _origin(url: str) -> str | None:
    parts = urlparse(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def origins_of(idp: IdentityProvider) -> set[str]:
    """Where the provider's sign-in and sign-out pages are."""
    if idp.kind == ProviderKind.OIDC:
        urls: Iterable[str] = [idp.discovery_url]
    else:
        from allauth.socialaccount.providers.saml.utils import fetch_metadata_url_config

        from services.agencies.federation.registry import social_app

        urls = [idp.metadata_url]
        try:
            found = social_app(idp).settings["idp"]
            if idp.metadata_url:
                found = fetch_metadata_url_config(found)["idp"]  # allauth caches it
                urls = [
                    found.get("singleSignOnService", {}).get("url", ""),
                    found.get("singleLogoutService", {}).get("url", ""),
                ]
            else:
                urls = [found.get("sso_url", ""), found.get("slo_url", "")]
        except Exception:  # metadata out of reach: its own origin, the usual place
            logger.warning("identity provider %s: metadata out of reach", idp.key, exc_info=True)
    return {o for o in (_origin(u) for u in urls) if o}


class ProviderFormsMiddleware:
    """Placed after django-csp's middleware, so that it sees the response first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "text/html" not in response.get("Content-Type", ""):
            return response
        providers: Any = []
        marks = request.session.get(FEDERATED) if hasattr(request, "session") else None
        if request.path.startswith("/accounts/"):
            from services.agencies.federation.registry import host_providers

            providers = host_providers(request)
        elif marks:
            providers = IdentityProvider.objects.filter(pk=int(marks.get("idp") or 0))
        origins = sorted({o for idp in providers for o in origins_of(idp)})
        if origins:
            response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
        return response
