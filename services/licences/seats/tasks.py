"""Periodic seat work per agency."""

from django.db import connection

from config.celery import app
from services.licences.seats.actions import release_leavers


@app.task(base=app.agency_task_cls)
def release_leavers_seats() -> int:
    """Release seats of the people of this task's agency whose employment ended."""
    return release_leavers(connection.tenant)  # type: ignore[attr-defined]  # django-tenants
