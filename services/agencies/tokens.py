"""Personal API tokens: shown once, stored as a SHA-256 digest, expiring, revocable.

A token expires SAMNAV_API_TOKEN_DAYS after it is issued; the middleware refuses it then as it
refuses a revoked one (tenants/middleware.py). Its owner lists and revokes it, and so does an
admin of an agency the owner holds a role in, on that agency's host (policies.api_tokens).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from services.agencies import policies
from services.agencies.errors import AgencyErrorCode as Code
from services.audit.actions import record_event
from services.validation import clean_text, field_error
from tenants.models import Agency, ApiToken, User, hash_token
from tenants.viewer import Viewer

TOKEN_PREFIX = "snv_"


def issue_api_token(user: User, name: str = "") -> tuple[str, ApiToken]:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=clean_text("name", name)[:100],
            prefix=raw[:12],
            digest=hash_token(raw),
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.SAMNAV_API_TOKEN_DAYS),
        )
        # the identity's new credential: who, when and which prefix (never the token)
        record_event(
            user,
            "api_token.issued",
            token,
            prefix=token.prefix,
            expires_at=token.expires_at.isoformat(),
        )
    return raw, token


def revoke_api_token(
    token: ApiToken, actor: User | None = None, agency: Agency | None = None
) -> bool:
    """Revoke `token` now, audited as done by `actor` (None: the system) on `agency`'s host.
    False, and nothing written, when it was revoked already. Callers check who may."""
    with transaction.atomic():
        now = timezone.now()
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if changed:
            token.revoked_at = now
            record_event(
                actor,
                "api_token.revoked",
                token,
                agency=agency,
                owner=token.user_id,
                prefix=token.prefix,
            )
    return bool(changed)


def visible_api_tokens(
    actor: User, agency: Agency | None, *, of_agency: bool = False
) -> QuerySet[ApiToken]:
    """The tokens `actor` lists on `agency`'s host (None: the central host), newest first: their
    own; with `of_agency`, an agency admin's list of every token of the agency's people."""
    viewer = Viewer.of(actor, agency)
    rows = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    if not of_agency:
        return policies.own_api_tokens(viewer, rows)
    if not policies.lists_agency_api_tokens(viewer):
        raise PermissionDenied(_("Only an agency's admins list its people's tokens, on its host."))
    return policies.agency_api_tokens(viewer, rows)


def revoke_api_token_as(actor: User, agency: Agency | None, token_pk: int) -> ApiToken:
    """`actor`, on `agency`'s host, revokes a token the policy lets them revoke. Another's
    token they may not see is unknown to them (not found), never "forbidden"."""
    viewer = Viewer.of(actor, agency)
    token = (
        policies.api_tokens(viewer, ApiToken.objects.select_related("user"))
        .filter(pk=token_pk)
        .first()
    )
    if token is None:
        raise field_error("token", _("Unknown id."), Code.NOT_FOUND)
    if token.revoked_at is not None:
        raise field_error("token", _("This token is revoked already."), Code.INVALID_STATE)
    if not revoke_api_token(token, actor, agency):
        raise field_error("token", _("This token is revoked already."), Code.INVALID_STATE)
    return token
