"""Whole-period exports run as tasks; the caller polls the job and downloads the file.

The job (state, progress, who asked, the file's name) and the finished file are a
`CostExport` row in public, so every web process and worker sees the same jobs; rows older
than JOB_TTL (a day) are removed when a new export is asked for. Everything that touches
storage is in this module; finance asks for an export with
`services.costs.actions.request_export`, and the task (exports/tasks.py) builds it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from services.costs.models import CostExport

JOB_TTL = 24 * 3600


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


_FIELDS = ("period_id", "format", "requested_by_id", "state", "progress", "filename")


def _save(job: ExportJob, content: bytes | None = None) -> ExportJob:
    values = {f: getattr(job, f) for f in _FIELDS}
    values.update(
        content_type=job.content_type,
        size=job.size,
        error=job.error,
        finished_at=dt.datetime.fromisoformat(job.finished_at) if job.finished_at else None,
    )
    if content is not None:
        values["content"] = content
    with schema_context(get_public_schema_name()):
        CostExport.objects.update_or_create(
            id=job.id,
            defaults=values,
            create_defaults={**values, "created_at": dt.datetime.fromisoformat(job.created_at)},
        )
    return job


def _job(row: CostExport) -> ExportJob:
    return ExportJob(
        id=str(row.id),
        period_id=row.period_id,
        format=row.format,
        requested_by_id=row.requested_by_id,
        state=row.state,
        progress=row.progress,
        created_at=row.created_at.isoformat(),
        finished_at=row.finished_at.isoformat() if row.finished_at else "",
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        error=row.error,
    )


def get_job(job_id: str) -> ExportJob | None:
    try:
        uuid.UUID(str(job_id))
    except ValueError:
        return None
    with schema_context(get_public_schema_name()):
        row = CostExport.objects.defer("content").filter(id=job_id).first()
    return _job(row) if row else None


def create_job(period_id: int, fmt: str, requested_by_id: int) -> ExportJob:
    with schema_context(get_public_schema_name()):
        stale = timezone.now() - dt.timedelta(seconds=JOB_TTL)
        CostExport.objects.filter(created_at__lt=stale).delete()
    return _save(
        ExportJob(
            id=str(uuid.uuid4()),
            period_id=period_id,
            format=fmt,
            requested_by_id=requested_by_id,
            created_at=timezone.now().isoformat(),
        )
    )


def update(job: ExportJob, **changes: Any) -> ExportJob:
    return _save(dataclasses.replace(job, **changes))


def finish(job: ExportJob, filename: str, content_type: str, content: bytes) -> ExportJob:
    return _save(
        dataclasses.replace(
            job,
            state=JobState.DONE,
            progress=100,
            filename=filename,
            content_type=content_type,
            size=len(content),
            finished_at=timezone.now().isoformat(),
        ),
        content,
    )


def fail(job: ExportJob, error: str) -> ExportJob:
    return update(
        job, state=JobState.FAILED, error=error[:1000], finished_at=timezone.now().isoformat()
    )


def file_of(job: ExportJob) -> bytes | None:
    if job.state != JobState.DONE:
        return None
    with schema_context(get_public_schema_name()):
        content = CostExport.objects.filter(id=job.id).values_list("content", flat=True).first()
    return bytes(content) if content is not None else None


def age(job: ExportJob) -> dt.timedelta:
    return timezone.now() - dt.datetime.fromisoformat(job.created_at)
