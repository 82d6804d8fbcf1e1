"""The pages of federated sign-in: the buttons on the sign-in page ("Logga in med <IdP>"),
a refused sign-in's page saying why, and signing out (at the identity provider too, where
it offers single logout)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from services.agencies.federation.models import IdentityProvider, ProviderKind
from tenants.sessions import FEDERATED

REASONS = {
    "connect": _("An identity provider cannot be added to an identity that is signed in."),
    "scope": _(
        "This identity holds roles that this identity provider may not grant. "
        "Sign in another way, or ask central IT."
    ),
    "deactivated": _("You are no longer active in the agency's register. Ask its admin."),
    "unknown_person": _("You are not in the agency's register yet. Ask its admin to add you."),
    "no_role": _("Your organisation's sign-in gives you no role in Samnav. Ask its admin."),
    "no_subject": _("The identity provider did not say who you are."),
    "failed": _(
        "The identity provider's answer could not be accepted (signature, audience or "
        "validity). Try again, or ask your admin."
    ),
}


def refused(request: HttpRequest | None, reason: str) -> HttpResponse:
    message = REASONS.get(reason, REASONS["failed"])
    return render(request, "federation/refused.html", {"message": message}, status=403)


def login_url(idp: IdentityProvider) -> str:
    if idp.kind == ProviderKind.OIDC:
        return reverse("openid_connect_login", kwargs={"provider_id": idp.key})
    return reverse("saml_login", kwargs={"organization_slug": idp.key})


def on_its_host(request: HttpRequest, idp: IdentityProvider, path: str) -> str:
    """`path` as an address on the host of the provider's agency (its primary domain)."""
    # .all(): a list of providers prefetches their agencies' domains (no query per row)
    domain = next((d.domain for d in idp.agency.domains.all() if d.is_primary), None)
    return f"{request.scheme}://{domain or request.get_host()}{path}"


def sign_in_buttons(request: HttpRequest) -> list[dict[str, Any]]:
    """The host's identity providers, for the sign-in page."""
    from services.agencies.federation.registry import host_providers

    return [{"name": idp.name, "url": login_url(idp)} for idp in host_providers(request)]


def _at_provider(request: HttpRequest, marks: dict[str, Any]) -> str | None:
    """Where to end the session at the identity provider too (RP-initiated logout for
    OpenID Connect, a LogoutRequest for SAML), if it offers it."""
    from allauth.socialaccount.providers.saml.utils import build_auth

    from services.agencies.federation.registry import social_app

    idp = IdentityProvider.objects.filter(pk=int(marks.get("idp") or 0), is_active=True).first()
    if idp is None:
        return None
    back = request.build_absolute_uri(reverse("login"))
    app = social_app(idp)
    try:
        provider = app.get_provider(request)
        if idp.kind == ProviderKind.OIDC:
            adapter = provider.get_oauth2_adapter(request)
            end = adapter.openid_config.get("end_session_endpoint")
            query = {"client_id": idp.client_id, "post_logout_redirect_uri": back}
            return f"{end}?{urlencode(query)}" if end else None
        if not app.settings["idp"].get("slo_url") and not idp.metadata_url:
            return None
        auth = build_auth(request, provider)
        if not auth.get_slo_url():
            return None
        return auth.logout(
            return_to=back, name_id=marks.get("name_id"), session_index=marks.get("session")
        )
    except Exception:  # the provider cannot be reached: the session here ends all the same
        return None


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out here, then at the identity provider where the session came from one."""
    marks = dict(request.session.get(FEDERATED) or {})
    target = _at_provider(request, marks) if marks else None
    logout(request)
    if target:
        return HttpResponseRedirect(target)
    return redirect("login")


def cancelled(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "federation/refused.html",
        {"message": _("The sign-in was cancelled at the identity provider.")},
        status=200,
    )


def failed(request: HttpRequest) -> HttpResponse:
    return refused(request, "failed")


def inactive(request: HttpRequest) -> HttpResponse:
    return refused(request, "deactivated")
