"""Allocation keys, their versions (how a key splits from a month on) and fixed weights."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.costs.models.drivers import DriverKind


class Method(models.TextChoices):
    EVEN = "even", _("Even split")
    FIXED = "fixed", _("Fixed weights")
    DRIVER = "driver", _("Proportional to a driver")
    DIRECT = "direct", _("Direct charge (subscriptions at their price)")


class AllocationKey(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("allocation key")
        verbose_name_plural = _("allocation keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KeyVersion(models.Model):
    """How a key splits from `valid_from` (a month) until the next version."""

    key = models.ForeignKey(AllocationKey, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField(_("valid from (month)"))
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    driver_kind = models.CharField(
        _("driver"), max_length=16, choices=DriverKind.choices, blank=True
    )
    only_subscribers = models.BooleanField(
        _("only subscribers of the pool's service"), default=False
    )
    excluded = models.ManyToManyField(
        "tenants.Agency", blank=True, related_name="+", verbose_name=_("excluded agencies")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("allocation key version")
        verbose_name_plural = _("allocation key versions")
        ordering = ["key_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="costs_version_once"),
            models.CheckConstraint(
                condition=Q(valid_from__day=1), name="costs_version_first_of_month"
            ),
            models.CheckConstraint(
                condition=(Q(method="driver") & ~Q(driver_kind="") & ~Q(driver_kind="budget"))
                | (~Q(method="driver") & Q(driver_kind="")),
                name="costs_version_driver_iff_method",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_id} from {self.valid_from:%Y-%m}"


class KeyWeight(models.Model):
    """A fixed weight of one agency in a key version (30/70 and 3/7 are the same split)."""

    version = models.ForeignKey(KeyVersion, on_delete=models.CASCADE, related_name="weights")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("weight"), max_digits=14, decimal_places=4)

    class Meta:
        verbose_name = _("key weight")
        verbose_name_plural = _("key weights")
        ordering = ["version_id", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "agency"], name="costs_weight_once"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="costs_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}/{self.agency_id}: {self.weight}"
