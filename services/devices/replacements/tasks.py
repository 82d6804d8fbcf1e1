"""Periodic lifecycle work: one task per agency, in its schema (fails closed without one)."""

import datetime as dt

from django.db import connection

from config.celery import app
from services.devices.replacements.proposals import propose


@app.task(base=app.agency_task_cls)
def propose_replacements(today: str | None = None) -> int:
    """Daily: propose replacing the agency's devices due soon (idempotent). Returns how many
    proposals were made."""
    agency = connection.tenant  # type: ignore[attr-defined]  # django-tenants' wrapper
    return len(propose(agency, dt.date.fromisoformat(today) if today else None))
