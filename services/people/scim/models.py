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


class ScimGroup(models.Model):
    """A group of the agency's directory, provisioned by SCIM (RFC 7643 §4.2). Its members are
    people of the register; the identity providers' "roles by group" (matched on the group's
    external id or its name) turn membership into roles (services/agencies/federation)."""

    display_name = models.CharField(_("name"), max_length=200)
    external_id = models.CharField(_("external id"), max_length=200, blank=True, db_index=True)
    members = models.ManyToManyField("people.Person", related_name="scim_groups", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SCIM group")
        verbose_name_plural = _("SCIM groups")
        ordering = ["display_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["display_name"], name="scim_group_name_unique")
        ]

    def __str__(self) -> str:
        return self.display_name
