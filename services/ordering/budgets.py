"""Budgets and approval thresholds, per calendar year, set by the agency's admins (portal,
GraphQL `setBudget`; the agency's Django admin reads them). Every change is kept in
BudgetChange: who, when, from what to what. Amounts are integer öre; errors say kronor."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.ordering.actions import require_agency_admin
from services.ordering.errors import OrderErrorCode as Code
from services.ordering.models import Budget, BudgetChange, OrderingPolicy
from services.ordering.money import sek
from services.validation import Errors
from tenants.models import Agency, User

MAX_BUDGET_ORE = 100_000_000_000_00  # 100 000 000 000 kr: far above any agency's budget
YEARS_BACK, YEARS_AHEAD = 1, 5  # a budget is set for last year at the earliest


def year_range(today: dt.date | None = None) -> tuple[int, int]:
    year = (today or timezone.localdate()).year
    return year - YEARS_BACK, year + YEARS_AHEAD


def _amount(errors: Errors, field: str, value: object) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_BUDGET_ORE:
        errors.add(
            field,
            _("Give an amount from %(low)s to %(high)s.")
            % {"low": sek(0), "high": sek(MAX_BUDGET_ORE)},
            Code.OUT_OF_RANGE,
        )
        return None
    return value


def set_budget(
    agency: Agency,
    actor: User,
    year: int,
    amount_ore: int,
    approval_threshold_ore: int | None = None,
    today: dt.date | None = None,
) -> Budget:
    """Set a year's budget and (optionally) its approval threshold; keeps the history."""
    require_agency_admin(actor, agency)
    errors = Errors()
    low, high = year_range(today)
    if not isinstance(year, int) or isinstance(year, bool) or not low <= year <= high:
        errors.add(
            "year",
            _("Give a year from %(low)s to %(high)s.") % {"low": low, "high": high},
            Code.OUT_OF_RANGE,
        )
    amount = _amount(errors, "amount_ore", amount_ore)
    threshold = None
    if approval_threshold_ore is not None:
        threshold = _amount(errors, "approval_threshold_ore", approval_threshold_ore)
    errors.raise_if_any()
    assert amount is not None  # refused above otherwise
    with tenant_context(agency), transaction.atomic():
        # the orders' lock: no order is checked against a budget half-changed
        OrderingPolicy.objects.get_or_create(pk=1)
        OrderingPolicy.objects.select_for_update().get(pk=1)
        budget = Budget.objects.select_for_update().filter(year=year).first()
        before = (
            (None, None) if budget is None else (budget.amount_ore, budget.approval_threshold_ore)
        )
        budget = budget or Budget(year=year)
        budget.amount_ore, budget.approval_threshold_ore = amount, threshold
        budget.save()
        BudgetChange.objects.create(
            year=year,
            amount_ore=amount,
            approval_threshold_ore=threshold,
            previous_amount_ore=before[0],
            previous_threshold_ore=before[1],
            actor_id=actor.pk,
        )
    return budget
