"""After a federated sign-in (allauth's user_logged_in, with the sign-in's `sociallogin`): the
session remembers which provider of which agency signed it in, and whether the provider
asserted a second factor. tenants/middleware.py keeps such a session to that agency's host;
tenants/second_factor.py counts the provider's second factor as one given here."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from services.agencies.federation.adapter import provider_of
from services.agencies.federation.admission import is_central
from services.agencies.federation.providers import assertion_of
from services.audit.actions import record_event
from tenants.sessions import FEDERATED


@receiver(user_logged_in)
def remember_provider(
    sender: Any, request: HttpRequest, user: Any, sociallogin: Any = None, **kwargs: Any
) -> None:
    if sociallogin is None:
        return
    idp = provider_of(sociallogin)
    assertion = assertion_of(sociallogin)
    mfa = bool(assertion and assertion.mfa)
    request.session[FEDERATED] = {
        "idp": idp.pk,
        "agency": idp.agency_id,
        "central": is_central(idp),
        "mfa": mfa,
        "name_id": assertion.name_id if assertion else "",
        "session": assertion.session_index if assertion else "",
    }
    record_event(
        user,
        "federation.signed_in",
        user,
        agency=None if is_central(idp) else idp.agency,
        idp=idp.key,
        second_factor=mfa,
    )
