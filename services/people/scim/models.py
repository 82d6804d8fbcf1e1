"""An agency's SCIM tokens. Home: the agency's schema, so a token can only ever be found on
its own agency's host (the host selects the schema before the token is looked up)."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_LIFETIME = datetime.timedelta(days=365)


def scim_token_expiry() -> datetime.datetime:
    return timezone.now() + TOKEN_LIFETIME


class ScimToken(models.Model):
    """A bearer token with which the agency's identity provider provisions its register.
    Only its SHA-256 digest is stored; the token is shown once, when it is created."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    # The agency admin who created it (a plain id of an identity in public).
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), default=scim_token_expiry)

    class Meta:
        verbose_name = _("SCIM token")
        verbose_name_plural = _("SCIM tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def usable(self, now: datetime.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class ScimDeletion(models.Model):
    """A person the identity provider deleted (SCIM DELETE): deactivated and kept in the
    register for the tickets and seats that name them, but no longer a SCIM resource."""

    person_id = models.BigIntegerField(unique=True)
    token_id = models.BigIntegerField(null=True, blank=True)
    deleted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"person {self.person_id}"
