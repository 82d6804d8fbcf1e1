"""Cost pools: what central IT spent on one thing in one period, and its categories."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.costs.models.keys import AllocationKey
from services.costs.models.periods import Period


class PoolCategory(models.TextChoices):
    SUPPORT_STAFF = "support_staff", _("Support staff")
    PROJECT_MANAGEMENT = "project_management", _("Project management")
    PROCUREMENT = "procurement", _("Procurement")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    SUPPLIER_INVOICE = "supplier_invoice", _("Supplier invoice")
    LICENCE = "licence", _("Licence agreement")
    PROJECT = "project", _("Project costs")
    CORRECTION = "correction", _("Correction of a closed period")


class CostPool(models.Model):
    """What central IT spent on one thing in one period, split by its key. A correction pool
    (`corrects` set) books a signed amount onto the corrected line's agency instead."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="pools")
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=PoolCategory.choices)
    amount_ore = models.BigIntegerField(_("amount (öre)"))
    key = models.ForeignKey(
        AllocationKey, null=True, blank=True, on_delete=models.PROTECT, related_name="pools"
    )
    service = models.ForeignKey(
        "catalogue.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.ForeignKey(
        "catalogue.Supplier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    licence_pool = models.ForeignKey(
        "licences.LicencePool", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_reference = models.CharField(
        _("source reference (invoice, salary run...)"), max_length=100, blank=True
    )
    corrects = models.ForeignKey(
        "costs.AllocationLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cost pool")
        verbose_name_plural = _("cost pools")
        ordering = ["period_id", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_ore__gte=0) | Q(corrects__isnull=False),
                name="costs_pool_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(key__isnull=False) | Q(corrects__isnull=False),
                name="costs_pool_has_key",
            ),
        ]

    def __str__(self) -> str:
        return self.name
