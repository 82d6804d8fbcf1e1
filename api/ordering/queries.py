"""Queries of ordering: quotes, orders, subscriptions; central IT's fulfilment queue."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import tenant_context
from graphene import relay
from graphene_django import DjangoConnectionField

from api.core.errors import errors_from_permission, errors_from_validation
from api.core.permissions import require_user, viewer
from api.ordering.budgets import BudgetQueries
from api.ordering.inputs import OrderLineInput, line_requests
from api.ordering.refs import agency_of_host, order_ref
from api.ordering.types import (
    AgreementRef,
    FulfilmentItem,
    OfferingRef,
    OrderNode,
    OrderStateEnum,
    QuoteLineType,
    QuoteType,
    RelationIssueType,
    SubscriptionNode,
    YearBudgetType,
    with_names,
)
from services.crossindex.models import IndexEntry
from services.ordering import policies, quotes
from services.ordering.actions import require_agency_admin
from services.ordering.errors import OrderErrorCode
from services.ordering.models import Order, OrderState, Subscription


class OrderingQueries(BudgetQueries, graphene.ObjectType):
    quote_order = graphene.Field(
        QuoteType,
        lines=graphene.List(graphene.NonNull(OrderLineInput), required=True),
        description="Cost, budget effect, prerequisites, lead time and agreement of an order "
        "before it is placed. Writes nothing.",
    )
    order = relay.Node.Field(OrderNode)
    orders = DjangoConnectionField(OrderNode, state=OrderStateEnum())
    subscriptions = DjangoConnectionField(SubscriptionNode, active=graphene.Boolean())
    fulfilment_queue = DjangoConnectionField(
        FulfilmentItem,
        states=graphene.List(graphene.NonNull(OrderStateEnum)),
        agency=graphene.String(description="An agency's slug."),
        description="Orders of every agency awaiting central IT, earliest due first.",
    )
    agency_order = graphene.Field(
        OrderNode,
        id=graphene.ID(required=True),
        description="One order of any agency (central IT).",
    )

    def resolve_quote_order(self, info, lines):
        user = require_user(info)
        try:
            agency = agency_of_host(info)
            require_agency_admin(user, agency)
            with tenant_context(agency):
                q = quotes.quote(agency, line_requests(lines))
        except PermissionDenied as exc:
            return QuoteType(
                lines=[],
                missing_prerequisites=[],
                exclusions=[],
                errors=errors_from_permission(exc, OrderErrorCode),
            )
        except ValidationError as exc:
            return QuoteType(
                lines=[],
                missing_prerequisites=[],
                exclusions=[],
                errors=errors_from_validation(exc, OrderErrorCode, "invalid"),
            )
        return QuoteType(
            monthly_ore=q.monthly_ore,
            one_off_ore=q.one_off_ore,
            year_effect_ore=q.year_effect_ore,
            budget_year=q.budget_year,
            budget_ore=q.budget_ore,
            committed_ore=q.committed_ore,
            remaining_after_ore=q.remaining_after_ore,
            over_budget=q.over_budget,
            commitment_ore=q.commitment_ore,
            commitment_months=q.commitment_months,
            years=[
                YearBudgetType(
                    year=y.year,
                    effect_ore=y.effect_ore,
                    budget_ore=y.budget_ore,
                    committed_ore=y.committed_ore,
                    remaining_after_ore=y.remaining_after_ore,
                    over_budget=y.over_budget,
                )
                for y in q.years
            ],
            approval_threshold_ore=q.approval_threshold_ore,
            delivery_moved=q.delivery_moved,
            needs_approval=q.needs_approval,
            lead_time_days=q.lead_time_days,
            delivery_on=q.delivery_on,
            errors=[],
            lines=[
                QuoteLineType(
                    position=li.position,
                    offering=OfferingRef.of(li.offering),
                    quantity=li.quantity,
                    unit_monthly_ore=li.unit_monthly_ore,
                    unit_one_off_ore=li.unit_one_off_ore,
                    monthly_ore=li.monthly_ore,
                    one_off_ore=li.one_off_ore,
                    starts_on=li.starts_on,
                    lead_time_days=li.offering.lead_time_days,
                    agreement=AgreementRef(
                        kind=li.offering.agreement.kind, name=li.offering.agreement.name
                    ),
                )
                for li in q.lines
            ],
            missing_prerequisites=[RelationIssueType(**vars(i)) for i in q.missing_prerequisites],
            exclusions=[RelationIssueType(**vars(i)) for i in q.exclusions],
        )

    def resolve_orders(self, info, state=None, **kwargs):
        qs = Order.objects.all()
        return qs.filter(state=state) if state else qs

    def resolve_subscriptions(self, info, active=None, **kwargs):
        qs = Subscription.objects.all()
        if active is not None:
            qs = qs.exclude(state="ended") if active else qs.filter(state="ended")
        return qs

    def resolve_fulfilment_queue(self, info, states=None, agency=None, **kwargs):
        qs = IndexEntry.objects.filter(
            state__in=states or [OrderState.AWAITING_FULFILMENT, OrderState.PARTIALLY_FULFILLED]
        )
        if agency:
            qs = qs.filter(agency__slug=agency)
        return qs.order_by("due_at", "id")

    def resolve_agency_order(self, info, id):
        require_user(info)
        if not policies.reads_any_order(viewer(info)):
            return None
        try:
            agency, pk = order_ref(info, id)
        except (PermissionDenied, ValidationError):
            return None
        with tenant_context(agency):
            # first() evaluates with the prefetches, so the fields resolved after we leave
            # the agency's schema read only what was loaded here.
            return (
                with_names(Order.objects.all())
                .prefetch_related("lines__offering__service", "events")
                .filter(pk=pk)
                .first()
            )
