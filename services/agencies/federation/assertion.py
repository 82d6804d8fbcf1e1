"""What an identity provider asserted about a person, read through the provider's claim
mapping (models.IdentityProvider): the stable subject, e-mail, name, groups, and whether a
second factor was given. Kept in memory for the sign-in only: never stored in public."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# OIDC `amr` values (RFC 8176) that mean more than one factor, or a factor that is one by
# itself (a hardware key, a one-time code, a biometric with a key).
OIDC_MFA_VALUES = ("mfa", "otp", "hwk", "swk", "sc", "fido", "face", "fpt", "iris", "retina")
# SAML authentication contexts (and Entra ID's authnmethodsreferences values) that mean a
# second factor: Sweden Connect's LoA 3 and 4, eIDAS substantial and high, OASIS's
# multi-factor classes, Entra ID's multiple authentication.
SAML_MFA_VALUES = (
    "http://id.elegnamnden.se/loa/1.0/loa3",
    "http://id.elegnamnden.se/loa/1.0/loa4",
    "http://id.elegnamnden.se/loa/1.0/eidas-sub",
    "http://id.elegnamnden.se/loa/1.0/eidas-high",
    "http://id.swedenconnect.se/loa/1.0/uncertified-loa3",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
    "http://schemas.microsoft.com/claims/multipleauthn",
)
# Entra ID's SAML attribute listing the methods used.
ENTRA_METHODS_ATTRIBUTE = "http://schemas.microsoft.com/claims/authnmethodsreferences"

SAML_EMAIL_ATTRIBUTES = (
    "urn:oid:0.9.2342.19200300.100.1.3",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    "mail",
    "email",
)
SAML_NAME_ATTRIBUTES = (
    "urn:oid:2.16.840.1.113730.3.1.241",
    "http://schemas.microsoft.com/identity/claims/displayname",
    "displayName",
    "cn",
)
SAML_GROUP_ATTRIBUTES = (
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
    "memberOf",
    "groups",
)


@dataclass(frozen=True)
class Assertion:
    subject: str
    email: str = ""
    name: str = ""
    groups: tuple[str, ...] = ()
    mfa: bool = False
    amr: tuple[str, ...] = field(default=())
    # SAML: what a LogoutRequest names (kept in the session for single logout).
    name_id: str = ""
    session_index: str = ""


def _first(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return str(value).strip() if value is not None else ""


def _many(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    return (str(value),)


def _mfa(methods: Iterable[str], accepted: Iterable[str]) -> bool:
    wanted = {v.lower() for v in accepted}
    return any(m.lower() in wanted for m in methods)


def from_oidc(config: Mapping[str, Any], data: Mapping[str, Any]) -> Assertion:
    """`data`: allauth's {"userinfo": {...}, "id_token": {...}} (verified by allauth)."""
    claims: dict[str, Any] = {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    id_token = data.get("id_token") or {}
    amr = _many(id_token.get("amr", claims.get("amr")))
    return Assertion(
        subject=_first(claims.get(config.get("subject_claim") or "sub")),
        email=_first(claims.get(config.get("email_claim") or "email")),
        name=_first(claims.get(config.get("name_claim") or "name")),
        groups=_many(claims.get(config.get("groups_claim") or "groups")),
        mfa=_mfa(amr, config.get("mfa_values") or OIDC_MFA_VALUES),
        amr=amr,
    )


def _attribute(
    attributes: Mapping[str, list[str]], configured: str, defaults: Iterable[str]
) -> list[str] | None:
    for name in (configured,) if configured else defaults:
        if attributes.get(name):
            return attributes[name]
    return None


def from_saml(config: Mapping[str, Any], auth: Any) -> Assertion:
    """`auth`: python3-saml's processed response (signature, audience and times checked)."""
    attributes: Mapping[str, list[str]] = auth.get_attributes()
    subject_claim = config.get("subject_claim") or ""
    subject = _first(attributes.get(subject_claim)) if subject_claim else auth.get_nameid()
    contexts = (*auth.get_last_authn_contexts(), *attributes.get(ENTRA_METHODS_ATTRIBUTE, ()))
    return Assertion(
        subject=_first(subject),
        email=_first(_attribute(attributes, config.get("email_claim", ""), SAML_EMAIL_ATTRIBUTES)),
        name=_first(_attribute(attributes, config.get("name_claim", ""), SAML_NAME_ATTRIBUTES)),
        groups=_many(_attribute(attributes, config.get("groups_claim", ""), SAML_GROUP_ATTRIBUTES)),
        mfa=_mfa(contexts, config.get("mfa_values") or SAML_MFA_VALUES),
        amr=tuple(contexts),
        name_id=auth.get_nameid() or "",
        session_index=auth.get_session_index() or "",
    )
