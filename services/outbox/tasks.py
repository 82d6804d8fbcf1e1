"""The outbox's tasks: delivering one message (in the schema it lives in) and the sweeper."""

from config.celery import app
from services.outbox.delivery import deliver, sweep


@app.task
def deliver_message(pk: int) -> str:
    """Runs in the schema the message was queued in (the task's schema header): an agency's,
    or public for central IT's own mail. A failed attempt is retried by the sweeper."""
    return deliver(pk)


@app.task
def sweep_outbox() -> dict:
    """Every minute: messages whose delivery task was lost, or whose retry is due."""
    return sweep()
