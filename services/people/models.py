"""The agency's people register. Home: the agency's schema (personal data stays there)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    # The federation identity (public schema) this person signs in with, if any. A plain id,
    # not a foreign key: the agency schema never constrains rows in public.
    user_id = models.BigIntegerField(_("identity"), null=True, blank=True, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, db_index=True)
    # The home address: where a field visit to the person's home goes.
    street_address = models.CharField(_("home street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("home postal code"), max_length=10, blank=True)
    city = models.CharField(_("home city"), max_length=100, blank=True)
    # The work address: where a field visit to the person's office goes.
    work_street_address = models.CharField(_("work street address"), max_length=200, blank=True)
    work_postal_code = models.CharField(_("work postal code"), max_length=10, blank=True)
    work_city = models.CharField(_("work city"), max_length=100, blank=True)
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True)
    # The identity provider's id of the person, set by SCIM provisioning (services/people/scim).
    external_id = models.CharField(_("external id"), max_length=200, blank=True, db_index=True)
    employment_ends_on = models.DateField(_("employment ends on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Deactivated: no longer works here (kept for the tickets and seats that name them).
    # Anonymised: their personal data erased (services/people/gdpr.py).
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
