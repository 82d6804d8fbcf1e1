"""Shared licence pools, per-agency quotas and seat counters. Home: public.

The federation buys a licence agreement (a pool of seats) and gives each agency a quota; what
is left is the shared reserve. An agency *holds* seats it has ordered (drawn from its quota,
then the reserve, then the allowed true-up) and *assigns* held seats to its people. Both
counts are kept here per (pool, agency) as plain numbers, updated in the same transaction as
the agency-side change, with the pool row locked: so the pool never hands out more seats than
it has, whatever the concurrency. No personal data here.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LicencePool(models.Model):
    product = models.CharField(_("product"), max_length=200)
    supplier = models.ForeignKey(
        "catalogue.Supplier", on_delete=models.PROTECT, related_name="licence_pools"
    )
    offering = models.OneToOneField(
        "catalogue.Offering",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="licence_pool",
        help_text=_("The catalogue offering whose orders draw seats from this pool."),
    )
    starts_on = models.DateField(_("agreement starts on"))
    ends_on = models.DateField(_("agreement ends on"))
    renewal_on = models.DateField(_("renewal date"))
    total_seats = models.PositiveIntegerField(_("seats in the agreement"))
    seat_monthly_ore = models.BigIntegerField(_("price per seat per month (öre)"), default=0)
    true_up_allowed = models.BooleanField(
        _("true-up allowed"),
        default=False,
        help_text=_("May the federation use more seats than it owns and pay later?"),
    )
    true_up_max_seats = models.PositiveIntegerField(_("true-up at most (seats)"), default=0)

    class Meta:
        verbose_name = _("licence pool")
        verbose_name_plural = _("licence pools")
        ordering = ["product"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="pool_period_order"
            ),
            models.CheckConstraint(
                condition=Q(seat_monthly_ore__gte=0), name="pool_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.product

    @property
    def capacity(self) -> int:
        """Seats that may be held: those owned, plus the allowed true-up."""
        return self.total_seats + (self.true_up_max_seats if self.true_up_allowed else 0)


class AgencyQuota(models.Model):
    pool = models.ForeignKey(LicencePool, on_delete=models.CASCADE, related_name="quotas")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.CASCADE, related_name="+")
    quota_seats = models.PositiveIntegerField(_("quota (seats)"), default=0)
    held_seats = models.PositiveIntegerField(_("seats held (ordered)"), default=0)
    assigned_seats = models.PositiveIntegerField(_("seats assigned to people"), default=0)

    class Meta:
        verbose_name = _("agency quota")
        verbose_name_plural = _("agency quotas")
        ordering = ["pool_id", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "agency"], name="quota_once"),
            models.CheckConstraint(
                condition=Q(assigned_seats__lte=F("held_seats")), name="quota_assigned_within_held"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool} / {self.agency}"

    @property
    def over_quota(self) -> int:
        return max(0, self.held_seats - self.quota_seats)


class UsageImport(models.Model):
    """One vendor usage report applied to a pool (counts only; addresses are not kept)."""

    pool = models.ForeignKey(LicencePool, on_delete=models.CASCADE, related_name="imports")
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        "tenants.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows = models.PositiveIntegerField()
    matched = models.PositiveIntegerField()
    used_unassigned = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("usage import")
        verbose_name_plural = _("usage imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.pool} {self.imported_at:%Y-%m-%d}"


class AlertKind(models.TextChoices):
    # xgettext:no-python-format
    POOL_NEARLY_FULL = "pool_nearly_full", _("Pool above 90 % held")
    RENEWAL_DUE = "renewal_due", _("Renewal within 90 days")
    SEATS_UNUSED = "seats_unused", _("Seats unused for 60 days")


class LicenceAlert(models.Model):
    """A proactive alert, raised once per condition (the key says which occurrence)."""

    pool = models.ForeignKey(LicencePool, on_delete=models.CASCADE, related_name="alerts")
    agency = models.ForeignKey(
        "tenants.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    key = models.CharField(max_length=40, help_text=_("Which occurrence, e.g. the renewal date."))
    raised_at = models.DateTimeField(default=timezone.now)
    detail = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("licence alert")
        verbose_name_plural = _("licence alerts")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "agency", "kind", "key"], name="alert_once", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pool}"


class SeatSnapshot(models.Model):
    """Seats held and assigned per agency and month: a cost driver for the monthly split."""

    month = models.DateField(_("month (first day)"))
    pool = models.ForeignKey(LicencePool, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.CASCADE, related_name="+")
    held_seats = models.PositiveIntegerField()
    assigned_seats = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("seat snapshot")
        verbose_name_plural = _("seat snapshots")
        constraints = [
            models.UniqueConstraint(fields=["month", "pool", "agency"], name="snapshot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.pool_id}/{self.agency_id}"


class UsageCount(models.Model):
    """What one usage import found in one agency: counts only (no addresses, no names).

    The import reads each agency's seat assignments once and keeps the result here, so that the
    compliance position of a pool is one pass over public instead of a loop over schemas.
    """

    usage_import = models.ForeignKey(UsageImport, on_delete=models.CASCADE, related_name="counts")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.CASCADE, related_name="+")
    matched = models.PositiveIntegerField(_("report lines matched"), default=0)
    used_seats = models.PositiveIntegerField(_("seats used"))
    assigned_unused_seats = models.PositiveIntegerField(_("seats assigned but unused"))
    unused_days = models.PositiveIntegerField(_("unused for at least (days)"))

    class Meta:
        verbose_name = _("usage count")
        verbose_name_plural = _("usage counts")
        ordering = ["usage_import_id", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["usage_import", "agency"], name="usage_count_once"),
        ]

    def __str__(self) -> str:
        return f"{self.usage_import_id}/{self.agency_id}"
