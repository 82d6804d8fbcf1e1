"""GraphQL types of service hubs, their slots and stock, and hub bookings."""

from __future__ import annotations

import graphene
from graphene import relay

from api.core.permissions import host_agency, viewer
from api.core.refs import central_id
from api.core.types import CountedConnection, SamnavObjectType
from api.devices.types import DeviceNode
from api.people.types import PersonNode
from api.tenants.types import AgencyNode
from services.crossindex.models import IndexEntry
from services.hubs import policies, slots, stock
from services.hubs.bookings import policies as booking_policies
from services.hubs.bookings.models import Booking, BookingState, RemindBy
from services.hubs.models import Hub, HubService, StockItem, StockKind, StockState
from tenants.counties import COUNTIES

HubServiceEnum = graphene.Enum.from_enum(HubService, name="HubService")
StockKindEnum = graphene.Enum.from_enum(StockKind, name="HubStockKind")
StockStateEnum = graphene.Enum.from_enum(StockState, name="HubStockState")
BookingStateEnum = graphene.Enum.from_enum(BookingState, name="HubBookingState")
RemindByEnum = graphene.Enum.from_enum(RemindBy, name="HubRemindBy")


class HubSlot(graphene.ObjectType):
    starts_at = graphene.DateTime(required=True)
    ends_at = graphene.DateTime(required=True)
    free = graphene.Int(required=True, description="Places left, over every agency.")
    capacity = graphene.Int(required=True)


class OpeningPeriod(graphene.ObjectType):
    weekday = graphene.Int(required=True, description="0 Monday .. 6 Sunday")
    opens_at = graphene.Time(required=True)
    closes_at = graphene.Time(required=True, description="00:00 means midnight.")


class StockCount(graphene.ObjectType):
    kind = graphene.Field(StockKindEnum, required=True)
    state = graphene.Field(StockStateEnum, required=True)
    count = graphene.Int(required=True)


class HubNode(SamnavObjectType):
    county = graphene.String(required=True, description="The county's letter code.")
    county_name = graphene.String(required=True)
    services = graphene.List(graphene.NonNull(HubServiceEnum), required=True)
    calendar_name = graphene.String(required=True)
    opening_hours = graphene.List(
        graphene.NonNull(OpeningPeriod),
        required=True,
        description="Weekly hours; public holidays and the calendar's closures are closed.",
    )
    free_slots = graphene.List(
        graphene.NonNull(HubSlot),
        required=True,
        date=graphene.Date(required=True),
        description="The slots of a date that have not begun and still have room (two "
        "queries per hub: ask for it on one hub or a few).",
    )
    stock_counts = graphene.List(
        graphene.NonNull(StockCount),
        description="Loaner and replacement devices kept here (central IT only; else null).",
    )

    class Meta:
        model = Hub
        name = "Hub"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "name",
            "street_address",
            "postal_code",
            "city",
            "slot_minutes",
            "capacity",
            "is_active",
        )

    policy = staticmethod(policies.hubs)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("calendar").prefetch_related("calendar__opening_hours")

    def resolve_county_name(self, info):
        county = COUNTIES.get(self.county)
        return county.name if county else self.county

    def resolve_services(self, info):
        return list(self.services or [])

    def resolve_calendar_name(self, info):
        return self.calendar.name

    def resolve_opening_hours(self, info):
        return [
            OpeningPeriod(weekday=o.weekday, opens_at=o.opens_at, closes_at=o.closes_at)
            for o in self.calendar.opening_hours.all()
        ]

    def resolve_free_slots(self, info, date):
        found = slots.day_slots(self, date, agency=host_agency(info))
        return [
            HubSlot(starts_at=s.starts_at, ends_at=s.ends_at, free=s.free, capacity=s.capacity)
            for s in found
            if s.free > 0
        ]

    def resolve_stock_counts(self, info):
        if not policies.sees_stock(viewer(info)):
            return None
        if not hasattr(self, stock.count_field(StockKind.LOANER, StockState.AVAILABLE)):
            self = stock.with_stock_counts(Hub.objects.filter(pk=self.pk)).get()
        return [StockCount(kind=k, state=s, count=n) for k, s, n in stock.counts_of(self)]


class StockItemNode(SamnavObjectType):
    kind = graphene.Field(StockKindEnum, required=True)
    state = graphene.Field(StockStateEnum, required=True)
    hub = graphene.Field(HubNode, required=True)
    agency = graphene.Field(AgencyNode, description="Lent or reserved to.")

    class Meta:
        model = StockItem
        name = "HubStockItem"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "serial_number", "model", "due_back_on")

    policy = staticmethod(policies.stock_items)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("hub__calendar", "agency")

    def resolve_kind(self, info):
        return self.kind

    def resolve_state(self, info):
        return self.state

    def resolve_hub(self, info):
        return self.hub

    def resolve_agency(self, info):
        return self.agency


class HubBookingNode(SamnavObjectType):
    """A booking of the agency (agency host), or one loaded by hub staff by its central id."""

    service = graphene.Field(HubServiceEnum, required=True)
    state = graphene.Field(BookingStateEnum, required=True)
    remind_by = graphene.Field(RemindByEnum, required=True)
    hub = graphene.Field(HubNode, required=True)
    person = graphene.Field(PersonNode, required=True)
    device = graphene.Field(DeviceNode)
    ticket_id = graphene.ID(description="The linked ticket (a Ticket id on the agency host).")
    central_id = graphene.ID(
        required=True, description="The id central IT uses (markBookingAttended)."
    )

    class Meta:
        model = Booking
        name = "HubBooking"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "starts_at", "ends_at", "reminded_at", "created_at", "closed_at")

    policy = staticmethod(booking_policies.bookings)

    @classmethod
    def load(cls, queryset, info):
        qs = queryset.select_related("hub__calendar", "person", "device")
        return qs.prefetch_related("hub__calendar__opening_hours")

    def resolve_service(self, info):
        return self.service

    def resolve_state(self, info):
        return self.state

    def resolve_remind_by(self, info):
        return self.remind_by

    def resolve_hub(self, info):
        return self.hub

    def resolve_person(self, info):
        return self.person

    def resolve_device(self, info):
        return self.device

    def resolve_ticket_id(self, info):
        return relay.Node.to_global_id("Ticket", self.ticket_id) if self.ticket_id else None

    def resolve_central_id(self, info):
        agency = getattr(self, "_samnav_agency", None) or host_agency(info)
        return central_id("HubBooking", agency.pk, self.pk)


class HubDayItem(SamnavObjectType):
    """A booking in a hub's day list (the cross-agency index: no personal data). Open it with
    `agencyHubBooking` to see who is coming and why."""

    booking_id = graphene.ID(
        required=True, description="For agencyHubBooking and markBookingAttended."
    )
    agency = graphene.Field(AgencyNode, required=True)
    state = graphene.Field(BookingStateEnum, required=True)
    starts_at = graphene.DateTime(required=True)

    class Meta:
        model = IndexEntry
        name = "HubDayItem"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "updated_at")

    policy = staticmethod(policies.hub_days)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("agency")

    def resolve_booking_id(self, info):
        return central_id("HubBooking", self.agency_id, self.local_id)

    def resolve_agency(self, info):
        return self.agency

    def resolve_state(self, info):
        return self.state

    def resolve_starts_at(self, info):
        return self.due_at
