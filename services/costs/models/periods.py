"""The months of the split and their states."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PeriodState(models.TextChoices):
    OPEN = "open", _("Open")
    PRELIMINARY = "preliminary", _("Preliminary (statements published)")
    CLOSED = "closed", _("Closed")


class Period(models.Model):
    """A month of the split. A closed period never changes (checked in the actions and by a
    database trigger, see migration 0002)."""

    month = models.DateField(_("month (first day)"), unique=True)
    state = models.CharField(
        _("state"), max_length=12, choices=PeriodState.choices, default=PeriodState.OPEN
    )
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cost period")
        verbose_name_plural = _("cost periods")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="costs_period_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
