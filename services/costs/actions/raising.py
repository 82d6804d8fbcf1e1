"""Raising one dispute: an agency admin questions one of its lines of a published period.
Shared by `dispute_line` and `accept_statement` (accepting the rest in the same step)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.costs.errors import CostErrorCode as Code
from services.costs.models import AllocationLine, Dispute, DisputeState, Period
from services.validation import Errors, field_error, text
from tenants.models import Agency, User

COMMENT_MAX_LENGTH = 1000


def raise_dispute(
    actor: User | None,
    member: Agency,
    period: Period,
    line_id: int,
    comment: str,
) -> Dispute:
    """One dispute of `member`'s line `line_id` of `period` (locked, preliminary); the caller
    holds the agency's statement locked and sets its state."""
    line = AllocationLine.objects.filter(pk=line_id, agency=member, period=period).first()
    if line is None:  # another agency's (or month's) line is as unknown as a missing one
        raise field_error("line", _("No such line."), Code.NOT_FOUND)
    errors = Errors()
    comment = text(
        errors,
        "comment",
        comment,
        codes=Code,
        max_length=COMMENT_MAX_LENGTH,
        required_message=_("Say what is wrong with the line."),
    )
    errors.raise_if_any()
    if Dispute.objects.filter(line=line, state=DisputeState.OPEN).exists():
        raise field_error("line", _("The line is already disputed."), Code.DUPLICATE)
    dispute = Dispute.objects.create(
        period=period, line=line, agency=member, comment=comment, raised_by=actor
    )
    record_event(actor, "costs.dispute.raised", dispute, agency=member, line=line.pk)
    return dispute
