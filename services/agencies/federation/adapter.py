"""allauth's hooks, as Samnav signs people in through their agency's identity provider
(settings: SOCIALACCOUNT_ADAPTER, ACCOUNT_ADAPTER).

- The apps allauth knows on a host are that host's agency's active providers (registry.py).
- Before anything is written, admission.decide says whether the person may sign in; a
  refusal is a page saying why (pages.py), audited.
- The identity is found by the provider's subject (allauth's account link, which names the
  provider) or created just in time; never matched by e-mail, so no provider can take over an
  identity it did not create.
- admission.admit links or creates the person and sets the roles before the session starts.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

from services.agencies.federation import admission, pages
from services.agencies.federation.models import IdentityProvider
from services.agencies.federation.providers import assertion_of
from services.agencies.federation.registry import host_apps
from services.audit.actions import record_event
from tenants.viewer import host_agency_of

DECISION_ATTR = "samnav_decision"


def provider_of(sociallogin: Any) -> IdentityProvider:
    return IdentityProvider.objects.select_related("agency").get(key=sociallogin.account.provider)


def _refuse(request: HttpRequest, idp: IdentityProvider, reason: str) -> ImmediateHttpResponse:
    record_event(
        None,
        "federation.sign_in_refused",
        idp,
        agency=host_agency_of(request),
        idp=idp.key,
        reason=reason,
    )
    return ImmediateHttpResponse(pages.refused(request, reason))


class AccountAdapter(DefaultAccountAdapter):
    """No sign-up of local accounts through allauth: identities come from the providers."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class FederatedSignIn(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: Any = None
    ) -> list[Any]:
        return host_apps(request, provider, client_id)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return True  # admission.decide has said who may come in

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: Any) -> bool:
        return True

    def can_authenticate_by_email(self, login: Any, email: str) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        idp = provider_of(sociallogin)
        assertion = assertion_of(sociallogin)
        if assertion is None:
            raise _refuse(request, idp, "failed")
        user = sociallogin.user if sociallogin.is_existing else None
        process = sociallogin.state.get("process") or "login"
        try:
            decision = admission.decide(idp, assertion, user, process)
        except admission.Refused as refusal:
            raise _refuse(request, idp, refusal.reason) from None
        setattr(sociallogin, DECISION_ATTR, decision)
        if user is None and decision.adopt is not None:
            sociallogin.connect(request, decision.adopt)  # now an existing account: signs in
            user = decision.adopt
        if user is not None:
            admission.admit(idp, assertion, user, decision)

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = sociallogin.user
        user.username = admission.username_for(provider_of(sociallogin), sociallogin.account.uid)
        return user

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        """A new identity, just in time: no password, linked to the provider's subject."""
        user = sociallogin.user
        user.set_unusable_password()
        sociallogin.save(request)
        idp = provider_of(sociallogin)
        record_event(None, "federation.identity_created", user, agency=None, idp=idp.key)
        assertion = assertion_of(sociallogin)
        decision = getattr(sociallogin, DECISION_ATTR)
        if assertion is not None:
            admission.admit(idp, assertion, user, decision)
        return user

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        idp = IdentityProvider.objects.filter(key=getattr(provider.app, "provider_id", "")).first()
        if idp is not None:
            record_event(
                None,
                "federation.sign_in_failed",
                idp,
                agency=host_agency_of(request),
                idp=idp.key,
                error=str(error or ""),
            )
        raise ImmediateHttpResponse(pages.refused(request, "failed"))
