"""Driver snapshots and allocation runs of an open period (finance). Both are queued as tasks
once the caller commits (services/costs/tasks.py); the caller polls the run."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from tenant_schemas_celery.task import headers_with_schema

from services.audit.actions import record_event
from services.costs import drivers, tasks
from services.costs.actions.periods import get_period, require_open
from services.costs.allocation import execute_run
from services.costs.errors import CostErrorCode as Code
from services.costs.models import AllocationRun
from services.costs.policies import require_finance
from services.validation import field_error
from tenants.models import User


@transaction.atomic
def request_driver_snapshot(actor: User | None, period_id: int) -> int:
    """Queue the fan-out (one task per agency). Returns how many agencies it will cover."""
    require_finance(actor)
    period = get_period(period_id)
    require_open(period)
    record_event(actor, "costs.drivers.snapshot_requested", period)
    headers = headers_with_schema({})
    transaction.on_commit(lambda: tasks.snapshot_drivers.apply_async((period.pk,), headers=headers))
    return drivers.agencies_to_snapshot().count()


def _new_run(actor: User | None, period_id: int, task_id: str = "") -> AllocationRun:
    require_finance(actor)
    period = get_period(period_id)
    require_open(period)
    try:
        run = AllocationRun.objects.create(period=period, requested_by=actor, task_id=task_id)
    except IntegrityError as exc:  # pragma: no cover - closed in between: the trigger
        raise field_error("period", _("The period is closed."), Code.PERIOD_CLOSED) from exc
    record_event(actor, "costs.run.requested", run, period=period.pk)
    return run


@transaction.atomic
def request_run(actor: User | None, period_id: int) -> AllocationRun:
    """Queue an allocation run of an open period; the caller polls the run."""
    run = _new_run(actor, period_id, str(uuid.uuid4()))
    headers = headers_with_schema({})
    transaction.on_commit(
        lambda: tasks.run_allocation.apply_async((run.pk,), task_id=run.task_id, headers=headers)
    )
    return run


def run_allocation_now(actor: User | None, period_id: int) -> AllocationRun:
    """Run an open period's allocation in this process, as the task would (the demo loader);
    returns the run, done or failed."""
    with transaction.atomic():
        run = _new_run(actor, period_id)
    return execute_run(run.pk)
