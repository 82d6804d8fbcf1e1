"""Allocation runs and the lines they write (one agency's part of one pool)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.costs.models.keys import KeyVersion
from services.costs.models.periods import Period
from services.costs.models.pools import CostPool


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
