"""Reminders of overdue loaners: the lent loaners of every agency whose date is past are found
with one indexed query in public (`StockItem.due_back_on`), then each borrower is reminded
inside their agency's schema (services/devices/loan_reminders.py), on the first overdue day and
then every SAMNAV_LOAN_REMINDER_DAYS (7) days until the loaner is back. Idempotent per day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from services.devices import interface as devices
from services.hubs.models import StockItem, StockKind, StockState
from tenants.models import AgencyState


def every_days() -> int:
    return max(1, int(getattr(settings, "SAMNAV_LOAN_REMINDER_DAYS", 7)))


def overdue_items(today: dt.date) -> QuerySet[StockItem]:
    """Lent loaners due back before `today`, of active agencies, earliest first."""
    return (
        StockItem.objects.filter(
            kind=StockKind.LOANER,
            state=StockState.LENT,
            due_back_on__lt=today,
            agency__state=AgencyState.ACTIVE,
        )
        .select_related("agency", "hub")
        .order_by("due_back_on", "id")
    )


def remind_overdue(today: dt.date | None = None) -> int:
    """Remind every overdue borrower who is due a reminder; returns how many were reminded."""
    today = today or timezone.localdate()
    count = 0
    for item in list(overdue_items(today)):
        if item.agency is None:  # lent: the query asks for an agency's
            continue
        hub = {
            "hub": item.hub.name,
            "address": f"{item.hub.street_address}, {item.hub.postal_code} {item.hub.city}",
        }
        if devices.remind_borrower(item.agency, item.pk, today, every_days(), hub):
            count += 1
    return count
