"""Disputes: an agency admin questions one line; finance adjusts or rejects it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.costs.models.periods import Period
from services.costs.models.runs import AllocationLine


class DisputeState(models.TextChoices):
    OPEN = "open", _("Open")
    ADJUSTED = "adjusted", _("Adjusted")
    REJECTED = "rejected", _("Rejected")


class Dispute(models.Model):
    """An agency admin questions one line; finance adjusts it or rejects, with a reason.
    Comments are about costs: the form asks not to put personal data in them."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="disputes")
    line = models.ForeignKey(AllocationLine, on_delete=models.PROTECT, related_name="disputes")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(_("comment"), max_length=1000)
    state = models.CharField(max_length=10, choices=DisputeState.choices, default="open")
    raised_by = models.ForeignKey(
        "tenants.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    resolution_reason = models.CharField(_("resolution reason"), max_length=1000, blank=True)
    adjusted_amount_ore = models.BigIntegerField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=Q(state="open"), name="costs_dispute_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"dispute {self.pk} {self.state}"
