"""An agency's identity providers. Home: public (sign-in happens before any schema is chosen
for a person, and the central host has one too). No personal data is kept here: a person's
name and e-mail go to the agency's register (services.people), never to this table."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Agency


class ProviderKind(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2")


class IdentityProvider(models.Model):
    """One identity provider of one agency (or of central IT, whose row is the central
    agency). Its people sign in on the agency's host only, and only into the agency's roles
    that `group_roles` and `default_role` grant."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="identity_providers")
    kind = models.CharField(_("kind"), max_length=8, choices=ProviderKind.choices)
    name = models.CharField(_("name"), max_length=100)
    # In the sign-in addresses: /accounts/oidc/<key>/login/, /accounts/saml/<key>/acs/.
    key = models.SlugField(_("key"), max_length=60, unique=True)
    # OpenID Connect
    discovery_url = models.URLField(_("discovery URL"), max_length=500, blank=True)
    client_id = models.CharField(_("client id"), max_length=200, blank=True)
    # The name of the environment variable (or mounted secret) that holds the client secret:
    # the secret itself is never stored.
    client_secret_ref = models.CharField(_("client secret reference"), max_length=100, blank=True)
    # SAML 2
    entity_id = models.CharField(_("identity provider's entity id"), max_length=500, blank=True)
    metadata_url = models.URLField(_("metadata URL"), max_length=500, blank=True)
    metadata_xml = models.TextField(_("metadata"), blank=True)
    # Claims (OIDC) or attributes (SAML); empty: the protocol's default.
    subject_claim = models.CharField(_("subject claim"), max_length=200, blank=True)
    email_claim = models.CharField(_("e-mail claim"), max_length=200, blank=True)
    name_claim = models.CharField(_("name claim"), max_length=200, blank=True)
    groups_claim = models.CharField(_("groups claim"), max_length=200, blank=True)
    # {"group id or name": "role"}: roles of the provider's agency only.
    group_roles = models.JSONField(_("roles by group"), default=dict, blank=True)
    default_role = models.CharField(_("role for everyone"), max_length=32, blank=True)
    # Create a person in the register at first sign-in; off: only people already in the
    # register (added by an admin, imported or provisioned by SCIM) may sign in.
    creates_people = models.BooleanField(_("creates people at first sign-in"), default=True)
    # amr values (OIDC) or authentication contexts (SAML) that mean a second factor was given.
    mfa_values = models.JSONField(_("values that mean a second factor"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"
