"""Statements: one agency's published month, accepted or disputed by its admin."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.costs.models.periods import Period


class StatementState(models.TextChoices):
    PUBLISHED = "published", _("Published (preliminary)")
    ACCEPTED = "accepted", _("Accepted")
    # the undisputed lines accepted, the disputed ones waiting for finance
    PARTLY_ACCEPTED = "partly_accepted", _("Accepted except disputed lines")
    DISPUTED = "disputed", _("Disputed")
    FINAL = "final", _("Final (period closed)")


REFERENCE_PREFIX = "KF"  # kostnadsfördelning


def statement_reference(month: dt.date, agency_slug: str) -> str:
    """The statement's stable reference: `KF-2026-11-UPPSALA` (the month and the agency's
    slug, which never changes once the agency is onboarded)."""
    return f"{REFERENCE_PREFIX}-{month:%Y-%m}-{agency_slug.upper()}"


class Statement(models.Model):
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="statements")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=16, choices=StatementState.choices, default=StatementState.PUBLISHED
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

    @property
    def reference(self) -> str:
        """Needs `period` and `agency` loaded (select_related) to stay one query."""
        return statement_reference(self.period.month, self.agency.slug)
