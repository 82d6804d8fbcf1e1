"""GraphQL of budgets: a year's budget and approval threshold with what is already committed,
and the history of changes (the agency's admins, on its host: services/ordering/policies.py)."""

from __future__ import annotations

import graphene

from api.core.money import Ore
from api.core.permissions import require_user, viewer
from services.ordering import policies, quotes
from services.ordering.models import Budget, BudgetChange
from services.ordering.portal.event_labels import people_names


class BudgetType(graphene.ObjectType):
    year = graphene.Int(required=True)
    amount_ore = Ore(required=True)
    approval_threshold_ore = Ore(description="Empty: the agency's standing threshold applies.")
    effective_threshold_ore = Ore(required=True, description="The threshold orders meet.")
    committed_ore = Ore(required=True, description="Taken by open and fulfilled orders.")


class BudgetChangeType(graphene.ObjectType):
    year = graphene.Int(required=True)
    amount_ore = Ore(required=True)
    approval_threshold_ore = Ore()
    previous_amount_ore = Ore()
    previous_threshold_ore = Ore()
    changed_at = graphene.DateTime(required=True)
    changed_by_name = graphene.String()


def budget_type(row: Budget, committed: int, standing: int) -> BudgetType:
    threshold = row.approval_threshold_ore
    return BudgetType(
        year=row.year,
        amount_ore=row.amount_ore,
        approval_threshold_ore=threshold,
        effective_threshold_ore=standing if threshold is None else threshold,
        committed_ore=committed,
    )


class BudgetQueries(graphene.ObjectType):
    budgets = graphene.List(
        graphene.NonNull(BudgetType),
        required=True,
        description="The agency's budgets per year, latest first (its admins, on its host).",
    )
    budget_changes = graphene.List(
        graphene.NonNull(BudgetChangeType),
        required=True,
        description="Every change of the agency's budgets and thresholds, latest first.",
    )

    def resolve_budgets(self, info):
        require_user(info)
        v = viewer(info)
        if policies.ordering_agency(v) is None:
            return []
        rows = list(policies.orders(v, Budget.objects.order_by("-year")))
        committed = quotes.committed_by_year([b.year for b in rows])
        standing = quotes.standing_threshold()
        return [budget_type(b, committed.get(b.year, 0), standing) for b in rows]

    def resolve_budget_changes(self, info):
        require_user(info)
        v = viewer(info)
        if policies.ordering_agency(v) is None:
            return []
        rows = list(policies.orders(v, BudgetChange.objects.all()))
        names = people_names(r.actor_id for r in rows)
        return [
            BudgetChangeType(
                year=r.year,
                amount_ore=r.amount_ore,
                approval_threshold_ore=r.approval_threshold_ore,
                previous_amount_ore=r.previous_amount_ore,
                previous_threshold_ore=r.previous_threshold_ore,
                changed_at=r.at,
                changed_by_name=names.get(r.actor_id),
            )
            for r in rows
        ]
