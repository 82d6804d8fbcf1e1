"""Whole-period exports built by a task (the job's state and the finished file)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.costs.models.periods import Period


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
