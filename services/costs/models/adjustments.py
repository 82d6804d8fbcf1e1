"""Adjustments: every change a dispute's resolution made to a line, with its reason and who
made it, so a statement can show each one (the disputed line and every line the difference
was re-spread over)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.costs.models.disputes import Dispute
from services.costs.models.periods import Period
from services.costs.models.runs import AllocationLine


class Adjustment(models.Model):
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="adjustments")
    line = models.ForeignKey(AllocationLine, on_delete=models.PROTECT, related_name="adjustments")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="+")
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="adjustments")
    amount_ore = models.BigIntegerField(_("change (öre)"))  # signed: + the line pays more
    reason = models.CharField(_("reason"), max_length=1000)
    made_by = models.ForeignKey(
        "tenants.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["made_at", "id"]
        indexes = [models.Index(fields=["period", "agency"], name="costs_adjust_period_agency")]

    def __str__(self) -> str:
        return f"adjustment {self.pk} line {self.line_id} {self.amount_ore:+d}"
