"""Queries of hubs: the hubs (anyone signed in), their stock (central IT), the agency's own
bookings (agency host) and a hub's day across agencies (central host, from the index)."""

from __future__ import annotations

import datetime as dt

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tenants.utils import tenant_context
from graphene import relay
from graphene_django import DjangoConnectionField

from api.core.permissions import require_user, viewer
from api.core.refs import agency_row_ref, local_id
from api.hubs.types import (
    BookingStateEnum,
    HubBookingNode,
    HubDayItem,
    HubNode,
    HubServiceEnum,
    StockItemNode,
    StockKindEnum,
    StockStateEnum,
)
from services.crossindex.models import IndexEntry, IndexKind
from services.hubs import policies
from services.hubs.bookings.models import Booking
from services.hubs.models import Hub, StockItem


def load_booking(agency, pk: int):
    """A booking with everything its fields read, loaded inside the agency's schema."""
    with tenant_context(agency):
        booking = (
            Booking.objects.select_related("hub__calendar", "person", "device")
            .prefetch_related("hub__calendar__opening_hours")
            .filter(pk=pk)
            .first()
        )
    if booking is not None:
        booking._samnav_agency = agency
    return booking


def _hub_pk(value) -> int | None:
    try:
        return local_id(value, "Hub", "hub")
    except ValidationError:
        return None


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)


class HubsQueries(graphene.ObjectType):
    service_hubs = DjangoConnectionField(
        HubNode,
        county=graphene.String(description="A county's letter code, e.g. AB or BD."),
        service=HubServiceEnum(),
        description="Active service hubs (anyone signed in, on any host).",
    )
    service_hub = relay.Node.Field(HubNode)
    hub_stock = DjangoConnectionField(
        StockItemNode,
        hub=graphene.ID(),
        kind=StockKindEnum(),
        state=StockStateEnum(),
        description="Loaner and replacement devices at the hubs (central IT).",
    )
    my_hub_bookings = DjangoConnectionField(
        HubBookingNode,
        state=BookingStateEnum(),
        upcoming=graphene.Boolean(),
        description="The agency's hub bookings (agency host): admins all, staff their own.",
    )
    hub_bookings = DjangoConnectionField(
        HubDayItem,
        hub=graphene.ID(required=True),
        date=graphene.Date(required=True),
        states=graphene.List(graphene.NonNull(BookingStateEnum)),
        description="A hub's bookings of one day over every agency (hub staff, service desk; "
        "central host). No personal data: open one with agencyHubBooking.",
    )
    agency_hub_booking = graphene.Field(
        HubBookingNode,
        id=graphene.ID(required=True),
        description="One booking of any agency (hub staff and service desk, central host).",
    )

    def resolve_service_hubs(self, info, county=None, service=None, **kwargs):
        qs = Hub.objects.all()
        if county:
            qs = qs.filter(county=county.upper())
        if service:
            qs = qs.filter(services__contains=[getattr(service, "value", service)])
        return qs.order_by("county", "name")

    def resolve_hub_stock(self, info, hub=None, kind=None, state=None, **kwargs):
        qs = StockItem.objects.all()
        if hub:
            qs = qs.filter(hub_id=_hub_pk(hub))
        if kind:
            qs = qs.filter(kind=getattr(kind, "value", kind))
        if state:
            qs = qs.filter(state=getattr(state, "value", state))
        return qs.order_by("hub__name", "kind", "serial_number")

    def resolve_my_hub_bookings(self, info, state=None, upcoming=None, **kwargs):
        qs = Booking.objects.all()
        if state:
            qs = qs.filter(state=getattr(state, "value", state))
        if upcoming is not None:
            now = timezone.now()
            qs = qs.filter(starts_at__gt=now) if upcoming else qs.filter(starts_at__lte=now)
        return qs.order_by("starts_at", "id")

    def resolve_hub_bookings(self, info, hub, date, states=None, **kwargs):
        start, end = _day_bounds(date)
        qs = IndexEntry.objects.filter(
            kind=IndexKind.BOOKING, group=str(_hub_pk(hub)), due_at__gte=start, due_at__lt=end
        )
        if states:
            qs = qs.filter(state__in=[getattr(s, "value", s) for s in states])
        return qs.order_by("due_at", "id")

    def resolve_agency_hub_booking(self, info, id):
        require_user(info)
        try:
            if not policies.works_hub_days(viewer(info)):
                raise PermissionDenied
            agency, pk = agency_row_ref(info, id, "HubBooking", "booking")
        except (PermissionDenied, ValidationError):
            return None
        return load_booking(agency, pk)
