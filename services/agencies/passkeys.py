"""Passkeys (WebAuthn, issue 19 part 4), through django-otp-webauthn: a django-otp plugin, so a
passkey counts as a second factor exactly as an authenticator app's code does
(`user.is_verified()`). A passkey also signs in without a password: it is both factors.

Each host is its own relying party: its host name is the RP ID and its own origin the only one
accepted. An agency's people register and use their passkeys on their agency's host, central
IT on the central host; a passkey of one host is never asked for, nor accepted, on another.
Registering one, and every use, is in the audit log.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_otp_webauthn.helpers import WebAuthnHelper

from services.audit.actions import record_event
from tenants.viewer import host_agency_of


def relying_party_id(request: HttpRequest) -> str:
    """The RP ID: this host's name, without the port."""
    return request.get_host().split(":")[0]


class PasskeyHelper(WebAuthnHelper):
    """The library's helper, with this host's own origin as the only one accepted."""

    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]

    def register_complete(self, user: Any, state: dict, data: dict) -> Any:
        credential = super().register_complete(user, state, data)
        record_event(
            user,
            "signin.second_factor_enrolled",
            user,
            agency=host_agency_of(self.request),
            kind="passkey",
        )
        return credential

    def authenticate_complete(self, user: Any, state: dict, data: dict) -> Any:
        credential = super().authenticate_complete(user, state, data)
        owner = credential.user
        record_event(
            owner,
            "signin.second_factor",
            owner,
            agency=host_agency_of(self.request),
            kind="passkey",
            passwordless=user is None or not getattr(user, "is_authenticated", False),
        )
        return credential
