"""Mutations of ordering. Each calls one action of services/ordering."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from api.core.money import Ore
from api.core.mutations import SamnavMutation
from api.core.permissions import current_user
from api.ordering.budgets import BudgetType, budget_type
from api.ordering.inputs import LineDecisionInput, OrderLineInput, line_requests
from api.ordering.refs import agency_of_host, load_order, local_id, order_ref
from api.ordering.types import OrderNode
from services.ordering import actions, budgets, fulfilment, quotes
from services.ordering.errors import OrderErrorCode


class OrderMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = OrderErrorCode
    error_type_name = "OrderError"

    order = graphene.Field(OrderNode)

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles


class PlaceOrder(OrderMutation):
    """Place an order for the agency of this host (agency admins)."""

    class Arguments:
        lines = graphene.List(graphene.NonNull(OrderLineInput), required=True)
        note = graphene.String(default_value="")
        request_budget_override = graphene.Boolean(
            default_value=False,
            description="Over budget: send the order to finance instead of refusing it.",
        )

    @classmethod
    def perform(cls, info, lines, note, request_budget_override):
        agency = agency_of_host(info)
        order = actions.place_order(
            agency,
            current_user(info),
            line_requests(lines),
            note=note,
            request_budget_override=request_budget_override,
        )
        return {"order": order}


class ApproveOrder(OrderMutation):
    class Arguments:
        order = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, order):
        agency = agency_of_host(info)
        pk = local_id(order, "Order", "order")
        actions.approve_order(agency, current_user(info), pk)
        return {"order": load_order(agency, pk)}


class RejectOrder(OrderMutation):
    """Reject at the order's current gate (approval, budget override or fulfilment)."""

    class Arguments:
        order = graphene.ID(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, order, reason):
        agency, pk = order_ref(info, order)
        actions.reject_order(agency, current_user(info), pk, reason)
        return {"order": load_order(agency, pk)}


class OverrideBudget(OrderMutation):
    """Finance lets an order past the agency's budget, with a reason (central host)."""

    class Arguments:
        order = graphene.ID(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, order, reason):
        agency, pk = order_ref(info, order)
        actions.override_budget(agency, current_user(info), pk, reason)
        return {"order": load_order(agency, pk)}


class FulfilOrder(OrderMutation):
    """Central IT fulfils (or rejects) pending lines; all pending lines when none are given."""

    class Arguments:
        order = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(LineDecisionInput))
        starts_on = graphene.Date()

    @classmethod
    def perform(cls, info, order, lines=None, starts_on=None):
        agency, pk = order_ref(info, order)
        decisions = [
            fulfilment.LineDecision(
                local_id(d.line, "OrderLine", f"lines.{i}.line"), d.fulfil, d.reason
            )
            for i, d in enumerate(lines or [])
        ]
        fulfilment.fulfil_order(agency, current_user(info), pk, decisions, starts_on=starts_on)
        return {"order": load_order(agency, pk)}


class ChangeSubscription(OrderMutation):
    """Order a new quantity for a subscription; it follows the rules of any order."""

    class Arguments:
        subscription = graphene.ID(required=True)
        quantity = graphene.Int(required=True)
        request_budget_override = graphene.Boolean(default_value=False)

    @classmethod
    def perform(cls, info, subscription, quantity, request_budget_override):
        agency = agency_of_host(info)
        pk = local_id(subscription, "Subscription", "subscription")
        order = actions.change_subscription(
            agency,
            current_user(info),
            pk,
            quantity,
            request_budget_override=request_budget_override,
        )
        return {"order": load_order(agency, order.pk)}


class CancelSubscription(OrderMutation):
    """Order the end of a subscription; it ends after the offering's notice period."""

    class Arguments:
        subscription = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, subscription):
        agency = agency_of_host(info)
        pk = local_id(subscription, "Subscription", "subscription")
        order = actions.cancel_subscription(agency, current_user(info), pk)
        return {"order": load_order(agency, order.pk)}


class SetBudget(SamnavMutation):
    """Set a year's budget and approval threshold of the agency of this host (its admins);
    every change is kept in `budgetChanges`."""

    error_codes = OrderErrorCode
    error_type_name = "OrderError"

    budget = graphene.Field(BudgetType)

    class Arguments:
        year = graphene.Int(required=True)
        amount_ore = Ore(required=True)
        approval_threshold_ore = Ore(description="Empty: the agency's standing threshold.")

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the action checks the role

    @classmethod
    def perform(cls, info, year, amount_ore, approval_threshold_ore=None):
        agency = agency_of_host(info)
        row = budgets.set_budget(
            agency, current_user(info), year, amount_ore, approval_threshold_ore
        )
        with tenant_context(agency):
            committed = quotes.committed_ore(row.year)
            standing = quotes.standing_threshold()
        return {"budget": budget_type(row, committed, standing)}


class OrderingMutations(graphene.ObjectType):
    set_budget = SetBudget.Field()
    place_order = PlaceOrder.Field()
    approve_order = ApproveOrder.Field()
    reject_order = RejectOrder.Field()
    override_budget = OverrideBudget.Field()
    fulfil_order = FulfilOrder.Field()
    change_subscription = ChangeSubscription.Field()
    cancel_subscription = CancelSubscription.Field()
