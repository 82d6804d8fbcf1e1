"""Write paths of the cost split, part 2: showback to chargeback.

publish (finance: open -> preliminary, one statement per agency with lines), accept or dispute
(the agency's admin, on its own statement), resolve (finance: adjust with a new amount, the
difference re-spread over the pool's other lines by their driver values so the pool still sums
exactly; or reject; always with a reason), close (finance; refused while disputes are open),
and corrections of closed periods booked into the next open period.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.costs.actions import _error, get_period, require_open
from services.costs.allocation import UNSPLIT_SQL, _tables
from services.costs.errors import CostErrorCode as Code
from services.costs.models import (
    AllocationLine,
    AllocationRun,
    CostPool,
    Dispute,
    DisputeState,
    Period,
    PeriodState,
    PoolCategory,
    RunState,
    Statement,
    StatementState,
)
from services.costs.policies import require_agency_admin, require_finance
from services.costs.split import largest_remainder

RESOLUTIONS = ("adjust", "reject")


@transaction.atomic
def publish_statements(actor, period_id: int) -> Period:
    require_finance(actor)
    period = get_period(period_id, lock=True)
    require_open(period)
    last = AllocationRun.objects.filter(period=period).order_by("-created_at", "-id").first()
    if last is None or last.state != RunState.DONE:
        raise _error(
            "period", _("Run the allocation first (its last run is not done)."), Code.NOT_RUN
        )
    with connection.cursor() as cursor:
        cursor.execute(UNSPLIT_SQL.format(**_tables()), {"period": period.pk})
        stale = [name for _id, name, _a, _s in cursor.fetchall()]
    if stale:
        raise _error(
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


def _preliminary(period: Period, field_name: str = "period") -> None:
    if period.state != PeriodState.PRELIMINARY:
        raise _error(
            field_name,
            _("Only a published, not yet closed, period takes this."),
            Code.INVALID_STATE if period.state != PeriodState.CLOSED else Code.PERIOD_CLOSED,
        )


def _statement(period: Period, agency) -> Statement:
    statement = Statement.objects.select_for_update().filter(period=period, agency=agency).first()
    if statement is None:
        raise _error("period", _("Your agency has no statement for this period."), Code.NOT_FOUND)
    return statement


@transaction.atomic
def accept_statement(actor, agency, period_id: int) -> Statement:
    require_agency_admin(actor, agency)
    period = get_period(period_id, lock=True)
    _preliminary(period)
    statement = _statement(period, agency)
    if statement.state == StatementState.ACCEPTED:
        return statement
    if Dispute.objects.filter(period=period, agency=agency, state=DisputeState.OPEN).exists():
        raise _error("period", _("The statement has open disputes."), Code.OPEN_DISPUTES)
    statement.state = StatementState.ACCEPTED
    statement.accepted_at = timezone.now()
    statement.accepted_by = actor
    statement.save(update_fields=["state", "accepted_at", "accepted_by"])
    record_event(actor, "costs.statement.accepted", statement, agency=agency, period=period.pk)
    return statement


@transaction.atomic
def dispute_line(actor, agency, line_id: int, comment: str) -> Dispute:
    require_agency_admin(actor, agency)
    line = AllocationLine.objects.filter(pk=line_id, agency=agency).first()
    if line is None:  # another agency's line is as unknown as a missing one
        raise _error("line", _("No such line."), Code.NOT_FOUND)
    period = get_period(line.period_id, lock=True)
    _preliminary(period, "line")
    comment = (comment or "").strip()
    if not comment:
        raise _error("comment", _("Say what is wrong with the line."), Code.REQUIRED)
    if len(comment) > 1000:
        raise _error("comment", _("At most 1,000 characters."), Code.INVALID)
    statement = _statement(period, agency)
    if statement.state == StatementState.ACCEPTED:
        raise _error("line", _("The statement is already accepted."), Code.INVALID_STATE)
    if Dispute.objects.filter(line=line, state=DisputeState.OPEN).exists():
        raise _error("line", _("The line is already disputed."), Code.DUPLICATE)
    dispute = Dispute.objects.create(
        period=period, line=line, agency=agency, comment=comment, raised_by=actor
    )
    statement.state = StatementState.DISPUTED
    statement.save(update_fields=["state"])
    record_event(actor, "costs.dispute.raised", dispute, agency=agency, line=line.pk)
    return dispute


def _respread(line: AllocationLine, new_amount: int) -> list[AllocationLine]:
    """Move the line to `new_amount` and spread the difference over the pool's other lines in
    proportion to their driver values (largest remainder), so the pool still sums exactly."""
    others = list(
        AllocationLine.objects.select_for_update()
        .filter(pool_id=line.pool_id)
        .exclude(pk=line.pk)
        .order_by("agency_id")
    )
    difference = line.amount_ore - new_amount  # > 0: the others pay more
    if difference and (not others or not any(o.driver_value > 0 for o in others)):
        raise _error(
            "amountOre",
            _("No other line of the pool can take the difference: book a correction instead."),
            Code.INVALID,
        )
    parts = (
        largest_remainder(
            abs(difference), [o.driver_value for o in others], [o.agency_id for o in others]
        )
        if difference
        else [0] * len(others)
    )
    sign = 1 if difference > 0 else -1
    changed = []
    for other, part in zip(others, parts, strict=True):
        if part:
            other.adjustment_ore += sign * part
            other.amount_ore += sign * part
            if other.amount_ore < 0:
                raise _error(
                    "amountOre",
                    _("That would make another agency's line negative."),
                    Code.INVALID,
                )
            changed.append(other)
    line.adjustment_ore += new_amount - line.amount_ore
    line.amount_ore = new_amount
    changed.append(line)
    AllocationLine.objects.bulk_update(changed, ["adjustment_ore", "amount_ore"])
    return changed


@transaction.atomic
def resolve_dispute(
    actor, dispute_id: int, resolution: str, reason: str, amount_ore: int | None = None
) -> Dispute:
    require_finance(actor)
    dispute = Dispute.objects.select_for_update().filter(pk=dispute_id).first()
    if dispute is None:
        raise _error("dispute", _("No such dispute."), Code.NOT_FOUND)
    period = get_period(dispute.period_id, lock=True)
    _preliminary(period, "dispute")
    if dispute.state != DisputeState.OPEN:
        raise _error("dispute", _("The dispute is already resolved."), Code.INVALID_STATE)
    if resolution not in RESOLUTIONS:
        raise _error("resolution", _("Adjust or reject."), Code.INVALID)
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Give the reason for the resolution."), Code.REQUIRED)
    if resolution == "adjust":
        if amount_ore is None:
            raise _error("amountOre", _("Give the line's new amount."), Code.REQUIRED)
        if amount_ore < 0:
            raise _error("amountOre", _("The amount must not be negative."), Code.NEGATIVE)
        line = AllocationLine.objects.select_for_update().get(pk=dispute.line_id)
        changed = _respread(line, amount_ore)
        moved = {c.agency_id for c in changed} - {dispute.agency_id}
        # Another agency's accepted statement that moved is shown to its admin again.
        Statement.objects.filter(
            period=period, agency_id__in=moved, state=StatementState.ACCEPTED
        ).update(state=StatementState.PUBLISHED, accepted_at=None, accepted_by=None)
        dispute.adjusted_amount_ore = amount_ore
    dispute.state = DisputeState.ADJUSTED if resolution == "adjust" else DisputeState.REJECTED
    dispute.resolution_reason = reason[:1000]
    dispute.resolved_by = actor
    dispute.resolved_at = timezone.now()
    dispute.save()
    record_event(
        actor,
        "costs.dispute.resolved",
        dispute,
        agency=dispute.agency,
        state=dispute.state,
        adjusted_amount_ore=dispute.adjusted_amount_ore,
    )
    if not Dispute.objects.filter(
        period=period, agency_id=dispute.agency_id, state=DisputeState.OPEN
    ).exists():
        Statement.objects.filter(
            period=period, agency_id=dispute.agency_id, state=StatementState.DISPUTED
        ).update(state=StatementState.PUBLISHED)
    return dispute


@transaction.atomic
def close_period(actor, period_id: int) -> Period:
    require_finance(actor)
    period = get_period(period_id, lock=True)
    _preliminary(period)
    if Dispute.objects.filter(period=period, state=DisputeState.OPEN).exists():
        raise _error("period", _("Resolve the open disputes first."), Code.OPEN_DISPUTES)
    period.state = PeriodState.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = actor
    period.save(update_fields=["state", "closed_at", "closed_by"])
    record_event(actor, "costs.period.closed", period, state=period.state)
    return period


@transaction.atomic
def book_correction(actor, line_id: int, amount_ore: int, reason: str) -> CostPool:
    """Book a signed change (öre; negative is a credit) to the agency of a closed period's
    line, as a correction pool in the next open period that references the line."""
    require_finance(actor)
    line = AllocationLine.objects.select_related("period", "pool").filter(pk=line_id).first()
    if line is None:
        raise _error("line", _("No such line."), Code.NOT_FOUND)
    if line.period.state != PeriodState.CLOSED:
        raise _error(
            "line",
            _("Only lines of closed periods are corrected; dispute or adjust this one."),
            Code.INVALID_STATE,
        )
    if not amount_ore:
        raise _error("amountOre", _("A correction moves at least one öre."), Code.INVALID)
    if line.amount_ore + amount_ore + _corrected(line) < 0:
        raise _error(
            "amountOre", _("The line would end below zero after corrections."), Code.NEGATIVE
        )
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Say what the correction is for."), Code.REQUIRED)
    target = (
        Period.objects.select_for_update()
        .filter(state=PeriodState.OPEN, month__gt=line.period.month)
        .order_by("month")
        .first()
    )
    if target is None:
        raise _error("line", _("There is no open period after the line's."), Code.NO_OPEN_PERIOD)
    correction = CostPool.objects.create(
        period=target,
        name=_("Correction of %(pool)s (%(month)s)")
        % {"pool": line.pool.name, "month": f"{line.period.month:%Y-%m}"},
        category=PoolCategory.CORRECTION,
        amount_ore=amount_ore,
        service_id=line.service_id,
        corrects=line,
        source_reference=line.pool.source_reference,
        reason=reason[:500],
    )
    record_event(
        actor,
        "costs.correction.booked",
        correction,
        agency=line.agency,
        line=line.pk,
        amount_ore=amount_ore,
    )
    return correction


def _corrected(line: AllocationLine) -> int:
    return CostPool.objects.filter(corrects=line).aggregate(s=Sum("amount_ore"))["s"] or 0
