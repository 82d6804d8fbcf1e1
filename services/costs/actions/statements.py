"""Statements, showback to chargeback: finance publishes a run month (open -> preliminary, one
statement per agency with lines); the agency's admin accepts its own statement."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.costs.actions.periods import get_period, require_open, require_preliminary
from services.costs.actions.raising import raise_dispute
from services.costs.allocation import unsplit_pool_names
from services.costs.errors import CostErrorCode as Code
from services.costs.models import (
    AllocationLine,
    AllocationRun,
    Dispute,
    DisputeState,
    Period,
    PeriodState,
    RunState,
    Statement,
    StatementState,
)
from services.costs.policies import require_agency_admin, require_finance
from services.validation import field_error
from tenants.models import Agency, User


@transaction.atomic
def publish_statements(actor: User | None, period_id: int) -> Period:
    require_finance(actor)
    period = get_period(period_id, lock=True)
    require_open(period)
    last = AllocationRun.objects.filter(period=period).order_by("-created_at", "-id").first()
    if last is None or last.state != RunState.DONE:
        raise field_error(
            "period", _("Run the allocation first (its last run is not done)."), Code.NOT_RUN
        )
    stale = unsplit_pool_names(period.pk)
    if stale:
        raise field_error(
            "period",
            _("These pools changed since the last run; run again: %(pools)s.")
            % {"pools": ", ".join(stale)},
            Code.NOT_RUN,
        )
    now = timezone.now()
    agencies = (
        AllocationLine.objects.filter(period=period)
        .values_list("agency_id", flat=True)
        .distinct()
        .order_by("agency_id")
    )
    Statement.objects.bulk_create(
        Statement(period=period, agency_id=a, published_at=now) for a in agencies
    )
    period.state = PeriodState.PRELIMINARY
    period.published_at = now
    period.save(update_fields=["state", "published_at"])
    record_event(actor, "costs.period.published", period, state=period.state)
    return period


def locked_statement(period: Period, agency: Agency) -> Statement:
    """The agency's statement of the period, locked; refused when it has none."""
    statement = Statement.objects.select_for_update().filter(period=period, agency=agency).first()
    if statement is None:
        raise field_error(
            "period", _("Your agency has no statement for this period."), Code.NOT_FOUND
        )
    return statement


ACCEPTED_STATES = (StatementState.ACCEPTED, StatementState.PARTLY_ACCEPTED)


@transaction.atomic
def accept_statement(
    actor: User | None,
    agency: Agency | None,
    period_id: int,
    disputes: Sequence[tuple[int, str]] = (),
) -> Statement:
    """Accept the agency's statement: every line, or, when lines are disputed (before, or in
    this call: `disputes` as (line id, comment) pairs), the undisputed lines; the disputed
    ones wait for finance ("accepted except disputed lines"). All or nothing."""
    member = require_agency_admin(actor, agency)
    period = get_period(period_id, lock=True)
    require_preliminary(period)
    statement = locked_statement(period, member)
    if statement.state in ACCEPTED_STATES:
        if disputes:
            raise field_error(
                "disputes", _("The statement is already accepted."), Code.INVALID_STATE
            )
        return statement
    for line_id, comment in disputes:
        raise_dispute(actor, member, period, line_id, comment)
    partly = Dispute.objects.filter(period=period, agency=member, state=DisputeState.OPEN).exists()
    statement.state = StatementState.PARTLY_ACCEPTED if partly else StatementState.ACCEPTED
    statement.accepted_at = timezone.now()
    statement.accepted_by = actor
    statement.save(update_fields=["state", "accepted_at", "accepted_by"])
    record_event(
        actor,
        "costs.statement.accepted",
        statement,
        agency=member,
        period=period.pk,
        state=statement.state,
    )
    return statement
