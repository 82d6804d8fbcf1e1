"""The outbox's tasks: delivering one message (in the schema it lives in), the sweeper, and the
daily purge of what is past its keeping time (services/outbox/retention.py)."""

from config.celery import app
from services.outbox.delivery import deliver, sweep
from services.outbox.retention import purge


@app.task
def deliver_message(pk: int) -> str:
    """Runs in the schema the message was queued in (the task's schema header): an agency's,
    or public for central IT's own mail. A failed attempt is retried by the sweeper."""
    return deliver(pk)


@app.task
def sweep_outbox() -> dict:
    """Every minute: messages whose delivery task was lost, or whose retry is due."""
    return sweep()


@app.task(base=app.agency_task_cls)
def purge_agency_messages() -> dict:
    """Daily, once per active agency in its schema (tenants.tasks.for_each_agency)."""
    return purge()


@app.task
def purge_central_messages() -> dict:
    """Daily: central IT's own, in public."""
    return purge()
