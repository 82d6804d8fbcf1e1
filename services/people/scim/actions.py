"""An agency's SCIM tokens: created and revoked by its admins (policies.manages_scim_tokens),
or by an operator with `manage.py create_scim_token`; looked up by the SCIM endpoints."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.audit.actions import record_event
from services.people import policies
from services.people.errors import PeopleErrorCode as Code
from services.people.scim.actor import ScimActor
from services.people.scim.models import ScimToken
from services.validation import Errors, field_error, text
from tenants.models import Agency, User, hash_token
from tenants.viewer import Viewer

PREFIX = "scim_"


def _require(actor: User | None, agency: Agency) -> None:
    if actor is None:  # an operator's command (manage.py create_scim_token)
        return
    if not policies.manages_scim_tokens(Viewer.of(actor, agency), agency):
        raise PermissionDenied(_("Only the agency's admins manage its SCIM tokens."))


def create_token(agency: Agency, actor: User | None, name: str) -> tuple[ScimToken, str]:
    """A new SCIM token of the agency; the raw token is returned once and never stored."""
    _require(actor, agency)
    errors = Errors()
    clean = text(errors, "name", name, codes=Code, max_length=100, required=True)
    errors.raise_if_any()
    raw = PREFIX + secrets.token_urlsafe(32)
    with tenant_context(agency), transaction.atomic():
        token = ScimToken.objects.create(
            name=clean,
            prefix=raw[:12],
            digest=hash_token(raw),
            created_by_id=getattr(actor, "pk", None),
        )
        record_event(actor, "people.scim_token.created", token, agency=agency)
    return token, raw


def revoke_token(agency: Agency, actor: User | None, token_id: int) -> ScimToken:
    _require(actor, agency)
    with tenant_context(agency), transaction.atomic():
        token = ScimToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None:
            raise field_error("token", _("No such SCIM token."), Code.NOT_FOUND)
        if token.revoked_at is not None:
            raise field_error("token", _("The SCIM token is already revoked."), Code.INVALID_STATE)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor, "people.scim_token.revoked", token, agency=agency)
    return token


def tokens(agency: Agency, actor: User) -> list[ScimToken]:
    """The agency's SCIM tokens, newest first (its admins)."""
    _require(actor, agency)
    with tenant_context(agency):
        return list(ScimToken.objects.all())


def authenticate(agency: Agency, raw: str) -> ScimActor | None:
    """The SCIM actor of a bearer token presented on `agency`'s host, or None. The token is
    looked up in that agency's schema only: another agency's token is never found."""
    if not raw:
        return None
    now = timezone.now()
    with tenant_context(agency):
        token = ScimToken.objects.filter(digest=hash_token(raw)).first()
        if token is None or not token.usable(now):
            return None
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    actor = ScimActor(agency=agency, token_id=token.pk)
    return actor if policies.scim_keeps_register(actor, agency) else None
