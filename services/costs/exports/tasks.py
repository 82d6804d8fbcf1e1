"""The task that builds a whole period's export (shared: runs in the public schema).

Idempotent: a redelivered task whose job is finished does nothing; one that died mid-way
builds the file again from the same lines.
"""

from __future__ import annotations

from config.celery import app
from services.costs.exports import jobs
from services.costs.exports.build import build
from services.costs.exports.source import get_period, period_lines


@app.task
def build_period_export(job_id: str) -> str:
    found = jobs.get_job(job_id)
    if found is None or found.is_finished:
        return found.state if found else "missing"
    job = jobs.update(found, state=jobs.JobState.RUNNING, progress=5)
    try:
        period = get_period(job.period_id)
        lines = period_lines(period)
        job = jobs.update(job, progress=30)

        def progress(done: int, total: int) -> None:
            nonlocal job
            job = jobs.update(job, progress=30 + int(65 * done / max(total, 1)))

        result = build(
            job.format,
            lines,
            period=period.month,
            stem=f"costs-{period.month:%Y-%m}",
            progress=progress,
        )
    except Exception as exc:  # the job records why; the caller sees state "failed"
        jobs.fail(job, f"{type(exc).__name__}: {exc}")
        raise
    jobs.finish(job, result.filename, result.content_type, result.content)
    return jobs.JobState.DONE
