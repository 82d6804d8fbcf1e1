"""Periods: finding one (locked when it is to change), the states a write needs, opening a
month and closing it (finance; refused while disputes are open). A closed period never changes.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.costs.errors import CostErrorCode as Code
from services.costs.models import (
    Dispute,
    DisputeState,
    Period,
    PeriodState,
    Statement,
    StatementState,
)
from services.costs.policies import require_finance
from services.validation import field_error, require_sensible_date
from tenants.models import User


def first_of_month(value: dt.date) -> dt.date:
    return value.replace(day=1)


def get_period(period_id: int, field_name: str = "period", *, lock: bool = False) -> Period:
    qs = Period.objects.select_for_update() if lock else Period.objects
    period = qs.filter(pk=period_id).first()
    if period is None:
        raise field_error(field_name, _("No such period."), Code.NOT_FOUND)
    return period


def require_open(period: Period, field_name: str = "period") -> None:
    if period.state == PeriodState.CLOSED:
        raise field_error(
            field_name, _("The period is closed: it never changes."), Code.PERIOD_CLOSED
        )
    if period.state != PeriodState.OPEN:
        raise field_error(
            field_name,
            _("The period's statements are published: its pools no longer change."),
            Code.INVALID_STATE,
        )


def require_preliminary(period: Period, field_name: str = "period") -> None:
    if period.state != PeriodState.PRELIMINARY:
        raise field_error(
            field_name,
            _("Only a published, not yet closed, period takes this."),
            Code.INVALID_STATE if period.state != PeriodState.CLOSED else Code.PERIOD_CLOSED,
        )


@transaction.atomic
def create_period(actor: User | None, month: dt.date) -> Period:
    require_finance(actor)
    require_sensible_date("month", month, codes=Code)
    month = first_of_month(month)
    if Period.objects.filter(month=month).exists():
        raise field_error("month", _("This month already has a period."), Code.DUPLICATE)
    with transaction.atomic():
        period = Period.objects.create(month=month)
        record_event(actor, "costs.period.created", period, month=f"{month:%Y-%m}")
    return period


@transaction.atomic
def close_period(actor: User | None, period_id: int) -> Period:
    require_finance(actor)
    period = get_period(period_id, lock=True)
    require_preliminary(period)
    if Dispute.objects.filter(period=period, state=DisputeState.OPEN).exists():
        raise field_error("period", _("Resolve the open disputes first."), Code.OPEN_DISPUTES)
    # the statements become final while the period still takes writes (migration 0002)
    Statement.objects.filter(period=period).update(state=StatementState.FINAL)
    period.state = PeriodState.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = actor
    period.save(update_fields=["state", "closed_at", "closed_by"])
    record_event(actor, "costs.period.closed", period, state=period.state)
    return period
