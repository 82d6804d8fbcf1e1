"""Statements: one agency's published month, accepted or disputed by its admin."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.costs.models.periods import Period


class StatementState(models.TextChoices):
    PUBLISHED = "published", _("Published (preliminary)")
    ACCEPTED = "accepted", _("Accepted")
    DISPUTED = "disputed", _("Disputed")


class Statement(models.Model):
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="statements")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=10, choices=StatementState.choices, default=StatementState.PUBLISHED
    )
    published_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["period_id", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "agency"], name="costs_statement_once")
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.agency_id} {self.state}"
