"""The identity providers a host offers, as the allauth apps that sign in through them. Only
the host's own agency's active providers exist for allauth on that host: a provider of agency
A is not found (404) on B's host or on the central host, whatever the address says."""

from __future__ import annotations

import os
from typing import Any

from allauth.socialaccount.models import SocialApp
from django.http import HttpRequest
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from services.agencies.federation.models import IdentityProvider, ProviderKind
from tenants.viewer import host_agency_of

ALLAUTH_PROVIDER = {ProviderKind.OIDC: "openid_connect", ProviderKind.SAML: "saml"}


def host_providers(request: HttpRequest | None) -> list[IdentityProvider]:
    """The active identity providers of the agency whose host serves `request` (central IT's
    on the central host)."""
    if request is None or getattr(request, "tenant", None) is None:
        return []
    agency = host_agency_of(request) or request.tenant  # type: ignore[attr-defined]
    if agency.state != "active":
        return []
    return list(IdentityProvider.objects.filter(agency=agency, is_active=True).order_by("name"))


def client_secret(idp: IdentityProvider) -> str:
    """The OIDC client secret, read from the environment variable the provider names."""
    return os.environ.get(idp.client_secret_ref, "") if idp.client_secret_ref else ""


def _mapping(idp: IdentityProvider) -> dict[str, Any]:
    return {
        "samnav_idp": idp.pk,
        "subject_claim": idp.subject_claim,
        "email_claim": idp.email_claim,
        "name_claim": idp.name_claim,
        "groups_claim": idp.groups_claim,
        "mfa_values": list(idp.mfa_values or ()),
    }


def _saml_idp(idp: IdentityProvider) -> dict[str, Any]:
    if idp.metadata_url:
        return {"entity_id": idp.entity_id, "metadata_url": idp.metadata_url}
    parsed = OneLogin_Saml2_IdPMetadataParser.parse(idp.metadata_xml, entity_id=idp.entity_id)
    found = parsed["idp"]
    config = {
        "entity_id": found["entityId"],
        "sso_url": found["singleSignOnService"]["url"],
        "x509cert": found.get("x509cert", ""),
    }
    if found.get("singleLogoutService", {}).get("url"):
        config["slo_url"] = found["singleLogoutService"]["url"]
    return config


def social_app(idp: IdentityProvider) -> SocialApp:
    """An unsaved allauth app for `idp` (allauth supports apps that are not in its table)."""
    settings: dict[str, Any] = _mapping(idp)
    if idp.kind == ProviderKind.OIDC:
        settings |= {"server_url": idp.discovery_url, "uid_field": idp.subject_claim or "sub"}
        return SocialApp(
            provider="openid_connect",
            provider_id=idp.key,
            name=idp.name,
            client_id=idp.client_id,
            secret=client_secret(idp),
            settings=settings,
        )
    settings |= {
        "idp": _saml_idp(idp),
        "advanced": {
            "strict": True,
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
            "want_attribute_statement": False,
            "logout_request_signed": False,
        },
    }
    return SocialApp(
        provider="saml", provider_id=idp.key, name=idp.name, client_id=idp.key, settings=settings
    )


def host_apps(
    request: HttpRequest | None, provider: str | None, client_id: str | None
) -> list[SocialApp]:
    """What allauth's adapter lists: the host's providers, as apps, filtered as it asks."""
    apps = []
    for idp in host_providers(request):
        app = social_app(idp)
        if provider and provider not in (app.provider, app.provider_id):
            continue
        if client_id and app.client_id != client_id:
            continue
        apps.append(app)
    return apps
