"""The monthly cost split (shared): periods, cost pools, allocation keys and their versions,
driver snapshots per agency and period, allocation runs and their lines, statements and
disputes. Home: public (ids, amounts and reasons; no personal data).

See docs/decisions/2026-11-22-cost-split.md for the rules (largest remainder, tie order,
direct charge, corrections, closed periods).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
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


class PoolCategory(models.TextChoices):
    SUPPORT_STAFF = "support_staff", _("Support staff")
    PROJECT_MANAGEMENT = "project_management", _("Project management")
    PROCUREMENT = "procurement", _("Procurement")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    SUPPLIER_INVOICE = "supplier_invoice", _("Supplier invoice")
    LICENCE = "licence", _("Licence agreement")
    PROJECT = "project", _("Project costs")
    CORRECTION = "correction", _("Correction of a closed period")


class Method(models.TextChoices):
    EVEN = "even", _("Even split")
    FIXED = "fixed", _("Fixed weights")
    DRIVER = "driver", _("Proportional to a driver")
    DIRECT = "direct", _("Direct charge (subscriptions at their price)")


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


class RunState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AllocationRun(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="runs")
    state = models.CharField(max_length=8, choices=RunState.choices, default=RunState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        "tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lines = models.PositiveIntegerField(default=0)
    checksum = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=1000, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="costs_run_progress"),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} {self.state}"


class AllocationLine(models.Model):
    """One agency's part of one pool: traceable to the pool (and its source reference), the key
    version, the driver value and the share. `amount_ore` = `computed_ore` + `adjustment_ore`
    (adjustments come from resolved disputes)."""

    # The run that last wrote the line (a rerun leaves unchanged lines alone). Run, period and
    # service are copies (of the run being executed and of the pool's own references), so they
    # carry no database constraint of their own: a constraint check per line per column made
    # the run's commit three times slower (docs/decisions/2026-11-22-cost-split.md).
    run = models.ForeignKey(
        AllocationRun,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    period = models.ForeignKey(
        Period,
        on_delete=models.DO_NOTHING,
        related_name="lines",
        db_constraint=False,
        db_index=False,  # (period, agency) below serves it
    )
    # Pool, key version and agency are read by the run's own SELECT under the period's lock, so
    # a line never points at a row that is not there; deleting one of those rows is refused by
    # the ORM (PROTECT) and, for pools, by a trigger (migration 0005). No constraint checks per
    # line: at 50,000 lines a month they were a third of the run.
    pool = models.ForeignKey(
        CostPool,
        on_delete=models.PROTECT,
        related_name="lines",
        db_constraint=False,
        db_index=False,  # (pool, agency), unique, below serves it
    )
    key_version = models.ForeignKey(
        KeyVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    agency = models.ForeignKey(
        "tenants.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # lines are read by (period, agency)
    )
    service = models.ForeignKey(
        "catalogue.Service",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    driver_value = models.DecimalField(max_digits=20, decimal_places=4)
    share = models.DecimalField(max_digits=16, decimal_places=12)
    computed_ore = models.BigIntegerField()
    adjustment_ore = models.BigIntegerField(default=0)
    amount_ore = models.BigIntegerField()

    class Meta:
        verbose_name = _("allocation line")
        verbose_name_plural = _("allocation lines")
        ordering = ["pool_id", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "agency"], name="costs_line_once"),
            models.CheckConstraint(
                condition=Q(amount_ore=models.F("computed_ore") + models.F("adjustment_ore")),
                name="costs_line_amount_sum",
            ),
        ]
        indexes = [models.Index(fields=["period", "agency"], name="costs_line_period_agency")]

    def __str__(self) -> str:
        return f"{self.pool_id}/{self.agency_id}: {self.amount_ore}"


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


class CostExport(models.Model):
    """A whole-period export built by a task: its state for the caller to poll, and the file
    once done. In the database (not a cache) so web processes and workers share it; rows older
    than a day are removed when a new export is asked for."""

    id = models.UUIDField(primary_key=True)
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=20)
    requested_by_id = models.BigIntegerField()
    state = models.CharField(max_length=10, default="queued")
    progress = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=1000, blank=True)
    content = models.BinaryField(null=True, blank=True)

    class Meta:
        verbose_name = _("cost export")
        verbose_name_plural = _("cost exports")

    def __str__(self) -> str:
        return f"export {self.id} {self.state}"
