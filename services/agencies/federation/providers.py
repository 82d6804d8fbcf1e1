"""allauth's OpenID Connect and SAML providers, as Samnav uses them (settings:
SOCIALACCOUNT_PROVIDERS[...]["provider_class"]): the claims are read through the identity
provider's mapping into an `Assertion` that lives on the sign-in only. What allauth would keep
in public (the claims as `extra_data`, the e-mail addresses) is reduced to nothing personal:
whether a second factor was given."""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.saml.provider import SAMLProvider

from services.agencies.federation.assertion import Assertion, from_oidc, from_saml

ASSERTION_ATTR = "samnav_assertion"


def _reduce(request: Any, sociallogin: Any, assertion: Assertion) -> Any:
    if not assertion.subject:  # allauth would fail with a ValueError (a 500)
        from services.agencies.federation.pages import refused

        raise ImmediateHttpResponse(refused(request, "no_subject"))
    setattr(sociallogin, ASSERTION_ATTR, assertion)
    sociallogin.account.extra_data = {"mfa": assertion.mfa}
    sociallogin.email_addresses = []
    return sociallogin


class SamnavOIDCProvider(OpenIDConnectProvider):
    def extract_uid(self, data: Any) -> str:
        return from_oidc(self.app.settings, data).subject or "-"

    def sociallogin_from_response(self, request: Any, response: Any) -> Any:
        sociallogin = super().sociallogin_from_response(request, response)
        return _reduce(request, sociallogin, from_oidc(self.app.settings, response))


class SamnavSAMLProvider(SAMLProvider):
    def extract_uid(self, data: Any) -> str:
        return from_saml(self.app.settings, data).subject or "-"

    def sociallogin_from_response(self, request: Any, response: Any) -> Any:
        sociallogin = super().sociallogin_from_response(request, response)
        return _reduce(request, sociallogin, from_saml(self.app.settings, response))


def assertion_of(sociallogin: Any) -> Assertion | None:
    return getattr(sociallogin, ASSERTION_ATTR, None)
