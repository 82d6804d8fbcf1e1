"""Corrections of closed periods (finance): a signed change to a closed line's agency, booked
as a correction pool in the next open period that references the line."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.costs.errors import CostErrorCode as Code
from services.costs.models import AllocationLine, CostPool, Period, PeriodState, PoolCategory
from services.costs.policies import require_finance
from services.validation import clean_text, field_error
from tenants.models import User


def _corrected(line: AllocationLine) -> int:
    total: int | None = CostPool.objects.filter(corrects=line).aggregate(s=Sum("amount_ore"))["s"]
    return total or 0


@transaction.atomic
def book_correction(actor: User | None, line_id: int, amount_ore: int, reason: str) -> CostPool:
    """Book a signed change (öre; negative is a credit) to the agency of a closed period's
    line, as a correction pool in the next open period that references the line."""
    require_finance(actor)
    line = AllocationLine.objects.select_related("period", "pool").filter(pk=line_id).first()
    if line is None:
        raise field_error("line", _("No such line."), Code.NOT_FOUND)
    if line.period.state != PeriodState.CLOSED:
        raise field_error(
            "line",
            _("Only lines of closed periods are corrected; dispute or adjust this one."),
            Code.INVALID_STATE,
        )
    if not amount_ore:
        raise field_error("amountOre", _("A correction moves at least one öre."), Code.INVALID)
    if line.amount_ore + amount_ore + _corrected(line) < 0:
        raise field_error(
            "amountOre", _("The line would end below zero after corrections."), Code.NEGATIVE
        )
    reason = clean_text("reason", reason)
    if not reason:
        raise field_error("reason", _("Say what the correction is for."), Code.REQUIRED)
    target = (
        Period.objects.select_for_update()
        .filter(state=PeriodState.OPEN, month__gt=line.period.month)
        .order_by("month")
        .first()
    )
    if target is None:
        raise field_error(
            "line", _("There is no open period after the line's."), Code.NO_OPEN_PERIOD
        )
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
