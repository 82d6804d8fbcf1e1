"""The outbox's tasks: the sweeper and the daily purge of what is past its keeping time
(services/outbox/retention.py). A message's delivery task lives with the delivery (delivery.py)."""

from config.celery import app
from services.outbox.delivery import deliver_message, sweep
from services.outbox.retention import purge

__all__ = ["deliver_message", "sweep_outbox", "purge_agency_messages", "purge_central_messages"]


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
