"""Write paths of the device lifecycle: accept a replacement proposal (it becomes an order
through ordering's own rules) or dismiss it. Agency admins only, in their agency's schema."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.devices.replacements.errors import LifecycleErrorCode as Code
from services.devices.replacements.models import ProposalState, ReplacementProposal
from services.devices.replacements.proposals import replacement_offering
from services.ordering import actions as ordering
from services.ordering.quotes import LineRequest
from tenants.models import Agency, User

# ordering names the line's fields; a proposal has one line: name the proposal's fields
RENAMED = {"lines.0.offering": "offering", "lines.0.quantity": "quantity"}


def _open_proposal(proposal_id: int) -> ReplacementProposal:
    proposal = (
        ReplacementProposal.objects.select_for_update(of=("self",))
        .select_related("device", "offering")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise ValidationError(
            {"proposal": ValidationError(_("No such proposal."), code=Code.NOT_FOUND)}
        )
    if proposal.state != ProposalState.PROPOSED:
        raise ValidationError(
            {
                "proposal": ValidationError(
                    _("The proposal is already %(state)s.")
                    % {"state": proposal.get_state_display().lower()},
                    code=Code.INVALID_STATE,
                )
            }
        )
    return proposal


def accept_proposal(
    agency: Agency, actor: User, proposal_id: int, *, request_budget_override: bool = False
) -> ReplacementProposal:
    """Order the proposal's offering (quantity 1) and mark the proposal ordered, in one
    transaction. A refused order (budget, prerequisites, ...) leaves the proposal as it was
    and raises ordering's error, naming the field."""
    ordering.require_agency_admin(actor, agency)
    with tenant_context(agency), transaction.atomic():
        proposal = _open_proposal(proposal_id)
        offering, why_not = proposal.offering, ""
        if offering is None:
            offering, why_not = replacement_offering(agency, proposal.device.kind)
        if offering is None:
            raise ValidationError(
                {"offering": ValidationError(why_not, code=Code.NO_REPLACEMENT_OFFERING)}
            )
        note = _("Replacement of %(model)s (%(serial)s)") % {
            "model": proposal.device.model,
            "serial": proposal.device.serial_number,
        }
        try:
            order = ordering.place_order(
                agency,
                actor,
                [LineRequest(offering.pk, 1)],
                note=note,
                request_budget_override=request_budget_override,
            )
        except ValidationError as exc:
            raise ValidationError(
                {RENAMED.get(k, k): v for k, v in exc.error_dict.items()}
            ) from exc
        proposal.state, proposal.order, proposal.offering = ProposalState.ORDERED, order, offering
        proposal.decided_at, proposal.decided_by_id = timezone.now(), actor.pk
        proposal.save(update_fields=["state", "order", "offering", "decided_at", "decided_by_id"])
    return proposal


def dismiss_proposal(
    agency: Agency, actor: User, proposal_id: int, reason: str
) -> ReplacementProposal:
    """Not now, with a reason. A new replacement date later makes a new proposal."""
    ordering.require_agency_admin(actor, agency)
    reason = ordering.required_reason(reason)
    with tenant_context(agency), transaction.atomic():
        proposal = _open_proposal(proposal_id)
        proposal.state, proposal.dismissed_reason = ProposalState.DISMISSED, reason
        proposal.decided_at, proposal.decided_by_id = timezone.now(), actor.pk
        proposal.save(update_fields=["state", "dismissed_reason", "decided_at", "decided_by_id"])
    return proposal
