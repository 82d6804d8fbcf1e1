"""Whole-period exports (finance): the request queues the task that builds the file; the caller
polls the job (services/costs/exports/jobs.py) and downloads the file once done."""

from __future__ import annotations

from config.celery import enqueue_on_commit
from services.costs.exports.build import ExportFormat, sie_company
from services.costs.exports.jobs import ExportJob, create_job
from services.costs.exports.sie import require_org_number
from services.costs.exports.source import get_period
from services.costs.exports.tasks import build_period_export
from services.costs.policies import require_finance
from tenants.models import User


def request_export(actor: User | None, period_id: int, fmt: str) -> ExportJob:
    """Finance: queue the export of a whole period; the task runs once the caller commits."""
    require_finance(actor)
    assert actor is not None  # require_finance refused anyone else
    period = get_period(period_id)
    if ExportFormat(fmt) == ExportFormat.SIE:  # refused now rather than as a failed job
        require_org_number(sie_company())
    job = create_job(period.pk, ExportFormat(fmt).value, actor.pk)
    enqueue_on_commit(build_period_export, job.id)
    return job
