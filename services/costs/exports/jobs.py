"""Whole-period exports run as tasks; the caller polls the job and downloads the file.

The job (state, progress, who asked, the file's name) and the finished file are kept in
Django's cache for JOB_TTL (a day), under keys of the public schema (the cache's key function
is tenant-aware). With a shared cache (Redis) web and workers see the same jobs. Everything
that touches storage is in this module, so moving to a database table (a `CostExport` model,
see the decision note) changes only these functions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

JOB_TTL = 24 * 3600
_JOB = "costs-export:{}"
_FILE = "costs-export-file:{}"


class JobState:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class ExportJob:
    id: str
    period_id: int
    format: str
    requested_by_id: int
    state: str = JobState.QUEUED
    progress: int = 0  # percent
    created_at: str = ""
    finished_at: str = ""
    filename: str = ""
    content_type: str = ""
    size: int = 0
    error: str = ""

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


def _save(job: ExportJob) -> ExportJob:
    cache.set(_JOB.format(job.id), dataclasses.asdict(job), JOB_TTL)
    return job


def get_job(job_id: str) -> ExportJob | None:
    try:
        uuid.UUID(str(job_id))
    except ValueError:
        return None
    data = cache.get(_JOB.format(job_id))
    return ExportJob(**data) if data else None


def create_job(period_id: int, fmt: str, requested_by_id: int) -> ExportJob:
    return _save(
        ExportJob(
            id=str(uuid.uuid4()),
            period_id=period_id,
            format=fmt,
            requested_by_id=requested_by_id,
            created_at=timezone.now().isoformat(),
        )
    )


def update(job: ExportJob, **changes) -> ExportJob:
    return _save(dataclasses.replace(job, **changes))


def finish(job: ExportJob, filename: str, content_type: str, content: bytes) -> ExportJob:
    cache.set(_FILE.format(job.id), content, JOB_TTL)
    return update(
        job,
        state=JobState.DONE,
        progress=100,
        filename=filename,
        content_type=content_type,
        size=len(content),
        finished_at=timezone.now().isoformat(),
    )


def fail(job: ExportJob, error: str) -> ExportJob:
    return update(
        job, state=JobState.FAILED, error=error[:1000], finished_at=timezone.now().isoformat()
    )


def file_of(job: ExportJob) -> bytes | None:
    return cache.get(_FILE.format(job.id)) if job.state == JobState.DONE else None


def request_export(actor, period_id: int, fmt: str) -> ExportJob:
    """Finance: queue the export of a whole period; the task runs once the caller commits."""
    from config.celery import enqueue_on_commit
    from services.costs.exports.build import ExportFormat
    from services.costs.exports.source import get_period
    from services.costs.exports.tasks import build_period_export
    from services.costs.permissions import require_finance

    require_finance(actor)
    period = get_period(period_id)
    job = create_job(period.pk, ExportFormat(fmt).value, actor.pk)
    enqueue_on_commit(build_period_export, job.id)
    return job


def age(job: ExportJob) -> dt.timedelta:
    return timezone.now() - dt.datetime.fromisoformat(job.created_at)
