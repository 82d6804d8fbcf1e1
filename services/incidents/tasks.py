"""Periodic major-incident work. A shared task: runs in public, no agency schema."""

from config.celery import app
from services.incidents.correlation import correlate


@app.task
def correlate_tickets() -> dict:
    """Every minute: open or extend major incidents (idempotent; runs take turns)."""
    return correlate().as_dict()
