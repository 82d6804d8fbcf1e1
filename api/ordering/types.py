"""GraphQL types of ordering. Who sees which rows: services/ordering/policies.py."""

from __future__ import annotations

import graphene
from graphene import relay

from api.core.money import Ore
from api.core.types import CountedConnection, SamnavObjectType
from api.tenants.types import AgencyNode
from services.crossindex.models import IndexEntry
from services.ordering import policies
from services.ordering.errors import OrderErrorCode
from services.ordering.models import (
    LineState,
    Order,
    OrderEvent,
    OrderKind,
    OrderLine,
    OrderState,
    Subscription,
    SubscriptionState,
)

OrderStateEnum = graphene.Enum.from_enum(OrderState, name="OrderState")
OrderKindEnum = graphene.Enum.from_enum(OrderKind, name="OrderKind")
LineStateEnum = graphene.Enum.from_enum(LineState, name="OrderLineState")
SubscriptionStateEnum = graphene.Enum.from_enum(SubscriptionState, name="SubscriptionState")
OrderErrorCodeEnum = graphene.Enum.from_enum(OrderErrorCode, name="OrderErrorCode")


class OfferingRef(graphene.ObjectType):
    """The catalogue offering a line or subscription is for."""

    id = graphene.ID(required=True)
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    service_name = graphene.String(required=True)

    @staticmethod
    def of(offering) -> OfferingRef:
        return OfferingRef(
            id=relay.Node.to_global_id("Offering", offering.pk),
            code=offering.code,
            name=offering.name,
            service_name=offering.service.name,
        )


class OrderLineType(SamnavObjectType):
    state = graphene.Field(LineStateEnum, required=True)
    offering = graphene.Field(OfferingRef, required=True)

    class Meta:
        model = OrderLine
        name = "OrderLine"
        interfaces = (relay.Node,)
        fields = (
            "id",
            "position",
            "quantity",
            "unit_monthly_ore",
            "unit_one_off_ore",
            "state",
            "decided_reason",
        )

    policy = staticmethod(policies.orders)

    def resolve_state(self, info):
        return self.state

    def resolve_offering(self, info):
        return OfferingRef.of(self.offering)


class OrderEventType(SamnavObjectType):
    class Meta:
        model = OrderEvent
        name = "OrderEvent"
        fields = ("at", "action", "actor_id", "actor_role", "from_state", "to_state", "reason")

    policy = staticmethod(policies.orders)


class OrderNode(SamnavObjectType):
    kind = graphene.Field(OrderKindEnum, required=True)
    state = graphene.Field(OrderStateEnum, required=True)
    lines = graphene.List(graphene.NonNull(OrderLineType), required=True)
    events = graphene.List(
        graphene.NonNull(OrderEventType), required=True, description="Who did what, when and why."
    )

    class Meta:
        model = Order
        name = "Order"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "kind",
            "state",
            "placed_at",
            "placed_by_id",
            "note",
            "monthly_ore",
            "one_off_ore",
            "year_effect_ore",
            "budget_year",
            "deliver_by",
            "needs_approval",
            "approved_by_id",
            "budget_override_reason",
            "decided_reason",
        )

    policy = staticmethod(policies.orders)

    @classmethod
    def load(cls, queryset, info):
        return queryset.prefetch_related("lines__offering__service", "events")

    def resolve_kind(self, info):
        return self.kind

    def resolve_state(self, info):
        return self.state

    def resolve_lines(self, info):
        return self.lines.all()

    def resolve_events(self, info):
        return self.events.all()


class SubscriptionNode(SamnavObjectType):
    state = graphene.Field(SubscriptionStateEnum, required=True)
    offering = graphene.Field(OfferingRef, required=True)
    monthly_ore = Ore(required=True)

    class Meta:
        model = Subscription
        name = "Subscription"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "quantity", "unit_monthly_ore", "starts_on", "ends_on", "state")

    policy = staticmethod(policies.orders)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("offering__service")

    def resolve_state(self, info):
        return self.state

    def resolve_offering(self, info):
        return OfferingRef.of(self.offering)

    def resolve_monthly_ore(self, info):
        return self.monthly_ore


class RelationIssueType(graphene.ObjectType):
    position = graphene.Int(required=True)
    offering_code = graphene.String(required=True)
    other_code = graphene.String(required=True)
    message = graphene.String(required=True)


class AgreementRef(graphene.ObjectType):
    kind = graphene.String(required=True, description="ola or sla")
    name = graphene.String(required=True)


class QuoteLineType(graphene.ObjectType):
    position = graphene.Int(required=True)
    offering = graphene.Field(OfferingRef, required=True)
    quantity = graphene.Int(required=True)
    unit_monthly_ore = Ore(required=True)
    unit_one_off_ore = Ore(required=True)
    monthly_ore = Ore(required=True)
    one_off_ore = Ore(required=True)
    starts_on = graphene.Date(required=True)
    lead_time_days = graphene.Int(required=True)
    agreement = graphene.Field(AgreementRef, required=True)


class QuoteErrorType(graphene.ObjectType):
    field = graphene.String()
    message = graphene.String(required=True)
    code = graphene.Field(OrderErrorCodeEnum, required=True)


class QuoteType(graphene.ObjectType):
    """What the order would cost and need. Nothing is written."""

    monthly_ore = Ore()
    one_off_ore = Ore()
    year_effect_ore = Ore(description="Effect on this year's budget.")
    budget_year = graphene.Int()
    budget_ore = Ore(description="The agency's budget for the year, if set.")
    committed_ore = Ore(description="Taken by earlier orders this year.")
    remaining_after_ore = Ore()
    over_budget = graphene.Boolean()
    needs_approval = graphene.Boolean()
    lead_time_days = graphene.Int()
    delivery_on = graphene.Date()
    lines = graphene.List(graphene.NonNull(QuoteLineType), required=True)
    missing_prerequisites = graphene.List(graphene.NonNull(RelationIssueType), required=True)
    exclusions = graphene.List(graphene.NonNull(RelationIssueType), required=True)
    errors = graphene.List(graphene.NonNull(QuoteErrorType), required=True)


class FulfilmentItem(SamnavObjectType):
    """An order in central IT's queue, read from the cross-agency index (no personal data)."""

    order_id = graphene.ID(required=True, description="For agencyOrder, fulfilOrder, …")
    # Declared, not converted: graphene-django would re-read each row's agency through
    # AgencyNode.get_queryset (one query per row). Rows are central-only already.
    agency = graphene.Field(AgencyNode, required=True)
    state = graphene.Field(OrderStateEnum, required=True)
    year_effect_ore = Ore()

    class Meta:
        model = IndexEntry
        name = "FulfilmentItem"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "agency", "state", "due_at", "created_at", "updated_at")

    policy = staticmethod(policies.fulfilment_queue)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("agency")

    def resolve_agency(self, info):
        return self.agency

    def resolve_order_id(self, info):
        return relay.Node.to_global_id("AgencyOrder", f"{self.agency_id}.{self.local_id}")

    def resolve_state(self, info):
        return self.state

    def resolve_year_effect_ore(self, info):
        return self.amount_ore
