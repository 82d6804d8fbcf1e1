"""Every write of an agency's identity providers (models.IdentityProvider): add, change,
switch off and on. Checked whole before anything is written (field errors with
AgencyErrorCode), audited with the names of the fields that changed.

A provider may grant only its own scope's roles: an agency's provider the agency roles, central
IT's provider the central roles. The OIDC client secret is never stored: `client_secret_ref`
names the environment variable (or mounted secret) that holds it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from services.agencies.errors import AgencyErrorCode as Code
from services.agencies.federation import policies
from services.agencies.federation.admission import scope_roles
from services.agencies.federation.models import IdentityProvider, ProviderKind
from services.audit.actions import record_event
from services.validation import Errors, clean_text, field_error, text
from tenants.models import Agency, AgencyKind, User
from tenants.viewer import Viewer

SECRET_REF = re.compile(r"^[A-Z_][A-Z0-9_]{0,99}$")
TEXTS = {
    "name": 100,
    "discovery_url": 500,
    "client_id": 200,
    "client_secret_ref": 100,
    "entity_id": 500,
    "metadata_url": 500,
    "metadata_xml": 200_000,
    "subject_claim": 200,
    "email_claim": 200,
    "name_claim": 200,
    "groups_claim": 200,
    "default_role": 32,
}
FIELDS = (*TEXTS, "kind", "group_roles", "creates_people", "mfa_values", "is_active")


@dataclasses.dataclass
class ProviderInput:
    kind: str = ""
    name: str = ""
    discovery_url: str = ""
    client_id: str = ""
    client_secret_ref: str = ""
    entity_id: str = ""
    metadata_url: str = ""
    metadata_xml: str = ""
    subject_claim: str = ""
    email_claim: str = ""
    name_claim: str = ""
    groups_claim: str = ""
    group_roles: Mapping[str, str] | None = None
    default_role: str = ""
    creates_people: bool = True
    mfa_values: list[str] | None = None


def _url(errors: Errors, field: str, value: str) -> None:
    parts = urlparse(value)
    if value and (parts.scheme not in ("https", "http") or not parts.netloc):
        errors.add(field, _("Give a full address starting with https://."), Code.INVALID)


def _check(values: dict[str, Any], agency: Agency) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {}
    for field, limit in TEXTS.items():
        clean[field] = text(
            errors,
            field,
            values.get(field) or "",
            codes=Code,
            max_length=limit,
            required=field == "name",
        )
    kind = values.get("kind") or ""
    if kind not in ProviderKind.values:
        errors.add("kind", _("Choose OpenID Connect or SAML 2."), Code.INVALID)
    clean["kind"] = kind
    for field in ("discovery_url", "metadata_url"):
        _url(errors, field, clean[field])
    if kind == ProviderKind.OIDC:
        for field in ("discovery_url", "client_id", "client_secret_ref"):
            if not clean[field]:
                errors.add(field, _("OpenID Connect needs this."), Code.REQUIRED)
        if clean["client_secret_ref"] and not SECRET_REF.match(clean["client_secret_ref"]):
            message = _("Name the environment variable that holds the secret, e.g. ENTRA_SECRET.")
            errors.add("client_secret_ref", message, Code.INVALID)
    if kind == ProviderKind.SAML:
        if not clean["entity_id"]:
            errors.add(
                "entity_id", _("SAML 2 needs the identity provider's entity id."), Code.REQUIRED
            )
        if bool(clean["metadata_url"]) == bool(clean["metadata_xml"]):
            message = _("Give either the metadata's address or the metadata itself.")
            errors.add("metadata_url", message, Code.REQUIRED)
        elif clean["metadata_xml"] and clean["entity_id"]:
            try:
                found = OneLogin_Saml2_IdPMetadataParser.parse(
                    clean["metadata_xml"], entity_id=clean["entity_id"]
                )
                if not found.get("idp", {}).get("singleSignOnService", {}).get("url"):
                    raise ValueError("no single sign-on service")
            except Exception:  # any parser failure: the metadata is not usable
                message = _("This is not SAML 2 metadata of that entity with a sign-on address.")
                errors.add("metadata_xml", message, Code.INVALID)
    roles = scope_roles_of(agency)
    mapping = values.get("group_roles") or {}
    if not isinstance(mapping, Mapping) or not all(
        isinstance(k, str) and k and v in roles for k, v in mapping.items()
    ):
        errors.add("group_roles", _("Map each group to one of this agency's roles."), Code.INVALID)
    clean["group_roles"] = (
        {clean_text("group_roles", k): v for k, v in mapping.items()}
        if isinstance(mapping, Mapping)
        else {}
    )
    if clean["default_role"] and clean["default_role"] not in roles:
        errors.add("default_role", _("Choose one of this agency's roles."), Code.INVALID)
    mfa = values.get("mfa_values") or []
    if not isinstance(mfa, list) or not all(isinstance(v, str) and 0 < len(v) <= 300 for v in mfa):
        errors.add("mfa_values", _("Give each value as text."), Code.INVALID)
    clean["mfa_values"] = (
        [clean_text("mfa_values", v) for v in mfa if isinstance(v, str)]
        if isinstance(mfa, list)
        else []
    )
    clean["creates_people"] = bool(values.get("creates_people", True))
    errors.raise_if_any()
    return clean


def scope_roles_of(agency: Agency) -> frozenset[str]:
    probe = IdentityProvider(agency=agency)
    return scope_roles(probe)


def _require(viewer: Viewer, agency: Agency) -> None:
    if not policies.configures_providers(viewer, agency):
        raise PermissionDenied(_("Only the agency's admins and central IT configure this."))


def _key(agency: Agency, name: str) -> str:
    base = slugify(f"{agency.slug}-{name}")[:50] or agency.slug
    key, n = base, 1
    while IdentityProvider.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def create_provider(viewer: Viewer, agency: Agency, data: ProviderInput) -> IdentityProvider:
    _require(viewer, agency)
    if agency.kind not in (AgencyKind.AGENCY, AgencyKind.CENTRAL):
        raise field_error("agency", _("Choose an agency."), Code.INVALID)
    clean = _check(dataclasses.asdict(data), agency)
    with transaction.atomic():
        idp = IdentityProvider.objects.create(
            agency=agency, key=_key(agency, clean["name"]), **clean
        )
        record_event(
            _actor(viewer),
            "federation.provider_created",
            idp,
            agency=_audited(agency),
            fields=sorted(clean),
        )
    return idp


def _actor(viewer: Viewer) -> User | None:
    return cast("User | None", viewer.user)


def _audited(agency: Agency) -> Agency | None:
    return agency if agency.kind == AgencyKind.AGENCY else None


def _lock(viewer: Viewer, provider_id: int) -> IdentityProvider:
    idp = (
        policies.providers(viewer, IdentityProvider.objects.select_related("agency"))
        .select_for_update(of=("self",))
        .filter(pk=provider_id)
        .first()
    )
    if idp is None:
        raise field_error("provider", _("No such identity provider."), Code.NOT_FOUND)
    _require(viewer, idp.agency)
    return idp


def update_provider(viewer: Viewer, provider_id: int, **given: Any) -> IdentityProvider:
    """Change the fields given (any of FIELDS but `kind`, which is fixed once created)."""
    unknown = sorted(set(given) - set(FIELDS) - {"kind"})
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(unknown)}")
    with transaction.atomic():
        idp = _lock(viewer, provider_id)
        current = {f: getattr(idp, f) for f in FIELDS if f != "is_active"}
        clean = _check({**current, **given, "kind": idp.kind}, idp.agency)
        if "is_active" in given:
            clean["is_active"] = bool(given["is_active"])
        changed = sorted(f for f, v in clean.items() if getattr(idp, f) != v)
        for field in changed:
            setattr(idp, field, clean[field])
        if changed:
            idp.save()
            record_event(
                _actor(viewer),
                "federation.provider_updated",
                idp,
                agency=_audited(idp.agency),
                fields=changed,
            )
    return idp


def set_provider_active(viewer: Viewer, provider_id: int, *, active: bool) -> IdentityProvider:
    """Switch a provider off (its button and sign-in addresses disappear at once) or on."""
    return update_provider(viewer, provider_id, is_active=active)
