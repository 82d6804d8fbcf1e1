"""Disputes: the agency's admin questions one line of its published statement; finance
resolves it with a reason, adjusting the line (the difference re-spread over the pool's other
lines by their driver values, so the pool still sums exactly) or rejecting the dispute."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.costs.actions.periods import get_period, require_preliminary
from services.costs.actions.raising import raise_dispute
from services.costs.actions.reopen import reopen_accepted
from services.costs.actions.statements import locked_statement
from services.costs.errors import CostErrorCode as Code
from services.costs.models import (
    Adjustment,
    AllocationLine,
    Dispute,
    DisputeState,
    Statement,
    StatementState,
)
from services.costs.policies import require_agency_admin, require_finance
from services.costs.split import largest_remainder
from services.validation import clean_text, field_error
from tenants.models import Agency, User

RESOLUTIONS = ("adjust", "reject")


@transaction.atomic
def dispute_line(actor: User | None, agency: Agency | None, line_id: int, comment: str) -> Dispute:
    member = require_agency_admin(actor, agency)
    line = AllocationLine.objects.filter(pk=line_id, agency=member).first()
    if line is None:  # another agency's line is as unknown as a missing one
        raise field_error("line", _("No such line."), Code.NOT_FOUND)
    period = get_period(line.period_id, lock=True)
    require_preliminary(period, "line")
    statement = locked_statement(period, member)
    if statement.state in (StatementState.ACCEPTED, StatementState.PARTLY_ACCEPTED):
        raise field_error("line", _("The statement is already accepted."), Code.INVALID_STATE)
    dispute = raise_dispute(actor, member, period, line_id, comment)
    statement.state = StatementState.DISPUTED
    statement.save(update_fields=["state"])
    return dispute


def _respread(line: AllocationLine, new_amount: int) -> list[tuple[AllocationLine, int]]:
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
        raise field_error(
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
                raise field_error(
                    "amountOre",
                    _("That would make another agency's line negative."),
                    Code.INVALID,
                )
            changed.append((other, sign * part))
    own_change = new_amount - line.amount_ore
    line.adjustment_ore += own_change
    line.amount_ore = new_amount
    changed.append((line, own_change))
    AllocationLine.objects.bulk_update([c for c, _d in changed], ["adjustment_ore", "amount_ore"])
    return changed


@transaction.atomic
def resolve_dispute(
    actor: User | None,
    dispute_id: int,
    resolution: str,
    reason: str,
    amount_ore: int | None = None,
) -> Dispute:
    require_finance(actor)
    dispute = Dispute.objects.select_for_update().filter(pk=dispute_id).first()
    if dispute is None:
        raise field_error("dispute", _("No such dispute."), Code.NOT_FOUND)
    period = get_period(dispute.period_id, lock=True)
    require_preliminary(period, "dispute")
    if dispute.state != DisputeState.OPEN:
        raise field_error("dispute", _("The dispute is already resolved."), Code.INVALID_STATE)
    if resolution not in RESOLUTIONS:
        raise field_error("resolution", _("Adjust or reject."), Code.INVALID)
    reason = clean_text("reason", reason)
    if not reason:
        raise field_error("reason", _("Give the reason for the resolution."), Code.REQUIRED)
    if resolution == "adjust":
        if amount_ore is None:
            raise field_error("amountOre", _("Give the line's new amount."), Code.REQUIRED)
        if amount_ore < 0:
            raise field_error("amountOre", _("The amount must not be negative."), Code.NEGATIVE)
        line = AllocationLine.objects.select_for_update().get(pk=dispute.line_id)
        changed = _respread(line, amount_ore)
        now = timezone.now()
        Adjustment.objects.bulk_create(
            Adjustment(
                period=period,
                line=c,
                agency_id=c.agency_id,
                dispute=dispute,
                amount_ore=change,
                reason=reason[:1000],
                made_by=actor,
                made_at=now,
            )
            for c, change in changed
            if change
        )
        moved = {c.agency_id for c, change in changed if change} - {dispute.agency_id}
        reopen_accepted(actor, period, moved, reason)
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
        # its disputes settled: the admin confirms the statement as it now stands
        Statement.objects.filter(
            period=period,
            agency_id=dispute.agency_id,
            state__in=(StatementState.DISPUTED, StatementState.PARTLY_ACCEPTED),
        ).update(state=StatementState.PUBLISHED, accepted_at=None, accepted_by=None)
    return dispute
