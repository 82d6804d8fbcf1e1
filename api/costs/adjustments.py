"""GraphQL shape of an adjustment: one change a dispute's resolution made to a line, with the
resolution's reason and who made it (services/costs/models/adjustments.py)."""

from __future__ import annotations

import graphene

from api.core.money import Ore


class CostAdjustment(graphene.ObjectType):
    amount_ore = Ore(required=True, description="The change, signed: + the agency pays more.")
    reason = graphene.String(required=True)
    made_by = graphene.String(description="Who resolved the dispute (user name).")
    made_at = graphene.DateTime(required=True)
    dispute_id = graphene.ID(description="The dispute whose resolution made the change.")

    @staticmethod
    def of(adjustment) -> CostAdjustment:
        user = adjustment.made_by
        return CostAdjustment(
            amount_ore=adjustment.amount_ore,
            reason=adjustment.reason,
            made_by=user.get_username() if user else None,
            made_at=adjustment.made_at,
            dispute_id=graphene.Node.to_global_id("CostDispute", adjustment.dispute_id),
        )
