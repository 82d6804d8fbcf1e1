"""Periodic licence work. Shared (public) tasks: plain `@app.task`, no agency schema.

Both are idempotent (alerts are unique per occurrence; snapshots upsert), so a task that runs
twice after a lost worker does no harm. The beat schedule is CELERY_BEAT_SCHEDULE in the
base settings.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from config.celery import app
from services.licences import alerts, snapshots


@app.task
def check_licence_alerts(today: str | None = None) -> dict[str, int]:
    """Daily: raise the licence alerts due (once per condition) and mail them."""
    return alerts.check_licence_alerts(dt.date.fromisoformat(today) if today else None)


@app.task
def snapshot_seats(month: str | None = None) -> int:
    """Monthly (on the 1st): the seats of the previous month, or of `month` (YYYY-MM)."""
    target = month or snapshots.previous_month(timezone.localdate()).isoformat()
    return snapshots.snapshot_seats(target)
