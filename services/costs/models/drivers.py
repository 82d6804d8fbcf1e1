"""What a key splits by (driver kinds) and the driver values snapshotted per agency and
period."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.costs.models.periods import Period


class DriverKind(models.TextChoices):
    HEADCOUNT = "headcount", _("Headcount")
    LICENCE_SEATS = "licence_seats", _("Licence seats held")
    SUBSCRIPTIONS = "subscriptions", _("Subscriptions at their price")
    TICKETS = "tickets", _("Tickets")
    VISITS = "visits", _("Field visits")
    VISIT_MINUTES = "visit_minutes", _("Field-visit minutes")
    PROJECT_SHARES = "project_shares", _("Project shares")
    # Not a split driver: the agency's budget for the month, read by the cost report.
    BUDGET = "budget", _("Monthly budget (report only)")


SPLIT_DRIVERS = [k for k in DriverKind if k != DriverKind.BUDGET]


class DriverSnapshot(models.Model):
    """One agency's driver value in one period. `ref_id` names what it counts (licence pool,
    service or project id), 0 for a total over everything."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="drivers")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=DriverKind.choices)
    ref_id = models.BigIntegerField(default=0)
    value = models.DecimalField(max_digits=20, decimal_places=4)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("driver snapshot")
        verbose_name_plural = _("driver snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kind", "ref_id", "agency"], name="costs_driver_once"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="costs_driver_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.agency_id} {self.kind}:{self.ref_id}={self.value}"
