"""Tasks of the cost split. All idempotent.

- `snapshot_drivers(period_id)` (shared): the fan-out, one `snapshot_agency_drivers` per
  member agency, each sent in that agency's context (tenant-schemas-celery carries the schema).
- `snapshot_agency_drivers(period_id)` (agency task, fails closed without a schema): replaces
  that agency's driver rows of the period.
- `run_allocation(run_id)` (shared): carries out a queued run; a redelivered task whose run is
  done does nothing, one that died mid-way runs again and gives the same lines.
"""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import tenant_context

from config.celery import app
from services.costs.exports.tasks import build_period_export  # noqa: F401 (registers the task)


@app.task(base=app.agency_task_cls)
def snapshot_agency_drivers(period_id: int) -> int:
    from services.costs.drivers import snapshot_agency

    return snapshot_agency(period_id)


@app.task
def snapshot_drivers(period_id: int) -> int:
    from services.costs.drivers import agencies_to_snapshot

    sent = 0
    for agency in agencies_to_snapshot():
        with tenant_context(agency):
            snapshot_agency_drivers.delay(period_id)
        sent += 1
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' wrapper
    return sent


@app.task
def run_allocation(run_id: int) -> str:
    from services.costs.allocation import execute_run

    return execute_run(run_id).state
