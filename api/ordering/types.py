"""GraphQL types of ordering. Who sees which rows: services/ordering/policies.py."""

from __future__ import annotations

import graphene
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
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
from services.ordering.portal.event_labels import people_names
from services.people.models import Person
from tenants.models import User

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
            "commitment_ore",
            "budget_year",
            "deliver_by",
            "needs_approval",
            "approved_by_id",
            "budget_override_reason",
            "decided_reason",
        )

    policy = staticmethod(policies.orders)

    placed_by_name = graphene.String(
        description="Who placed the order: their name in the people register, else their username."
    )
    approved_by_name = graphene.String(description="Who approved it, named the same way.")

    @classmethod
    def load(cls, queryset, info):
        return with_names(queryset).prefetch_related("lines__offering__service", "events")

    def resolve_placed_by_name(self, info):
        return _name(self, "placed_by")

    def resolve_approved_by_name(self, info):
        return _name(self, "approved_by")

    def resolve_kind(self, info):
        return self.kind

    def resolve_state(self, info):
        return self.state

    def resolve_lines(self, info):
        return self.lines.all()

    def resolve_events(self, info):
        return self.events.all()


def _identity_name(field: str) -> Coalesce:
    """The name of the identity in `field` as a subquery: the agency's person, else the
    username (one query for a whole list)."""
    person = Person.objects.filter(user_id=OuterRef(field)).values("name")[:1]
    user = User.objects.filter(pk=OuterRef(field)).values("username")[:1]
    return Coalesce(Subquery(person), Subquery(user))


def with_names(queryset):
    return queryset.annotate(
        placed_by_name_=_identity_name("placed_by_id"),
        approved_by_name_=_identity_name("approved_by_id"),
    )


def _name(order: Order, field: str) -> str | None:
    if hasattr(order, f"{field}_name_"):
        return getattr(order, f"{field}_name_")
    identity = getattr(order, f"{field}_id")
    return people_names([identity]).get(identity) if identity else None


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


class YearBudgetType(graphene.ObjectType):
    """One calendar year an order's commitment touches, against that year's budget."""

    year = graphene.Int(required=True)
    effect_ore = Ore(required=True, description="What the order takes from the year's budget.")
    budget_ore = Ore(description="The agency's budget for the year, if set.")
    committed_ore = Ore(required=True, description="Taken by earlier orders from the year.")
    remaining_after_ore = Ore()
    over_budget = graphene.Boolean(required=True)


class QuoteType(graphene.ObjectType):
    """What the order would cost and need. Nothing is written."""

    commitment_ore = Ore(
        description="One-off costs plus commitmentMonths months of the monthly cost: what the "
        "approval threshold is compared with."
    )
    commitment_months = graphene.Int()
    years = graphene.List(
        graphene.NonNull(YearBudgetType),
        description="The commitment split per calendar year; every year's budget is checked.",
    )
    approval_threshold_ore = Ore()
    delivery_moved = graphene.Boolean(
        description="The delivery day fell on a weekend or public holiday and was moved to the "
        "next working day."
    )

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
