"""Personal API tokens: shown once, stored as a SHA-256 digest, revocable."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from services.audit.actions import record_event
from services.validation import clean_text
from tenants.models import ApiToken, User, hash_token

TOKEN_PREFIX = "snv_"


def issue_api_token(user: User, name: str = "") -> tuple[str, ApiToken]:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=clean_text("name", name)[:100], prefix=raw[:12], digest=hash_token(raw)
        )
        # the identity's new credential: who, when and which prefix (never the token)
        record_event(user, "api_token.issued", token, prefix=token.prefix)
    return raw, token


def revoke_api_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
