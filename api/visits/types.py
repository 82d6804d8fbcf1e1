"""GraphQL types of field visits and dispatch.

- `Visit`: an agency's own visit, on its host (admins all, staff their own).
- `TechnicianVisit`: a technician's visit on the central host. Its address, contact and notes
  are shown only to the visit's own technician and only while the visit is active (on site, or
  within its arrival window: SAMNAV_ARRIVAL_EARLY_MINUTES before the booked start until its
  end); null otherwise. The rule is in this type's resolvers, whatever query
  returns it.
- `DispatchItem`: a visit waiting in central IT's dispatch list: county, windows and ticket
  priority, no personal data.
- `Technician`, `TechnicianSuggestion`.
"""

from __future__ import annotations

import graphene
from graphene import relay

from api.core.permissions import viewer
from api.core.refs import central_id
from api.core.types import CountedConnection, SamnavObjectType
from api.tenants.types import AgencyNode
from services.field import policies as dispatch_policies
from services.field.models import Technician
from services.field.visits import policies
from services.field.visits.models import PlaceKind, Visit, VisitState

VisitStateEnum = graphene.Enum.from_enum(VisitState, name="VisitState")
PlaceKindEnum = graphene.Enum.from_enum(PlaceKind, name="VisitPlace")


class VisitWindowType(graphene.ObjectType):
    """A time window the requester can receive the technician in."""

    class Meta:
        name = "VisitWindow"

    id = graphene.ID(required=True, description="Pass it to dispatchVisit.")
    starts_at = graphene.DateTime(required=True)
    ends_at = graphene.DateTime(required=True)

    def resolve_id(self, info):
        return relay.Node.to_global_id("VisitWindow", self.pk)


def windows_of(visit) -> list:
    return list(visit.windows.all())  # prefetched by every query that returns visits


class VisitNode(SamnavObjectType):
    county = graphene.String(required=True, description="County code (tenants/counties.py).")
    state = graphene.Field(VisitStateEnum, required=True)
    place_kind = graphene.Field(PlaceKindEnum, required=True)
    windows = graphene.List(graphene.NonNull(VisitWindowType), required=True)
    ticket_id = graphene.ID(required=True, description="The Ticket this visit is for.")

    class Meta:
        model = Visit
        name = "Visit"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "street_address",
            "postal_code",
            "city",
            "contact_phone",
            "notes",
            "confirmed_start",
            "confirmed_end",
            "arrived_at",
            "finished_at",
            "travel_minutes",
            "on_site_minutes",
            "reason",
            "created_at",
        )

    policy = staticmethod(policies.visits)

    @classmethod
    def load(cls, queryset, info):
        return queryset.prefetch_related("windows")

    def resolve_state(self, info):
        return self.state

    def resolve_place_kind(self, info):
        return self.place_kind

    def resolve_windows(self, info):
        return windows_of(self)

    def resolve_ticket_id(self, info):
        return relay.Node.to_global_id("Ticket", self.ticket_id)


def _shows_place(visit, info) -> bool:
    """The visit's own technician, while the visit is active."""
    return policies.shows_place(viewer(info), visit)


class TechnicianVisit(SamnavObjectType):
    """A visit as its technician sees it. Load rows inside the agency's schema and set
    `_samnav_agency` on each."""

    id = graphene.ID(required=True, description="AgencyVisit:<agency>.<visit>")
    agency = graphene.Field(AgencyNode, required=True)
    county = graphene.String(required=True, description="County code (tenants/counties.py).")
    state = graphene.Field(VisitStateEnum, required=True)
    place_kind = graphene.Field(PlaceKindEnum, required=True)
    windows = graphene.List(graphene.NonNull(VisitWindowType), required=True)
    active = graphene.Boolean(
        required=True, description="On site, or within the arrival window: the address is shown."
    )
    ticket_subject = graphene.String(required=True)
    ticket_priority = graphene.Int(required=True)
    street_address = graphene.String(description="Only while the visit is active.")
    postal_code = graphene.String(description="Only while the visit is active.")
    city = graphene.String(description="Only while the visit is active.")
    contact_name = graphene.String(description="Only while the visit is active.")
    contact_phone = graphene.String(description="Only while the visit is active.")
    notes = graphene.String(description="Only while the visit is active.")

    class Meta:
        model = Visit
        name = "TechnicianVisit"
        skip_registry = True  # `Visit` is the model's type for relations
        fields = (
            "confirmed_start",
            "confirmed_end",
            "arrived_at",
            "finished_at",
            "travel_minutes",
            "on_site_minutes",
            "reason",
        )

    policy = staticmethod(policies.technician_visits)

    def resolve_id(self, info):
        return central_id("Visit", self._samnav_agency.pk, self.pk)

    def resolve_agency(self, info):
        return self._samnav_agency

    def resolve_state(self, info):
        return self.state

    def resolve_place_kind(self, info):
        return self.place_kind

    def resolve_windows(self, info):
        return windows_of(self)

    def resolve_active(self, info):
        return self.is_active()

    def resolve_ticket_subject(self, info):
        return self.ticket.subject

    def resolve_ticket_priority(self, info):
        return self.ticket.priority

    def resolve_street_address(self, info):
        return self.street_address if _shows_place(self, info) else None

    def resolve_postal_code(self, info):
        return self.postal_code if _shows_place(self, info) else None

    def resolve_city(self, info):
        return self.city if _shows_place(self, info) else None

    def resolve_contact_name(self, info):
        return self.requester.name if _shows_place(self, info) else None

    def resolve_contact_phone(self, info):
        return (self.contact_phone or self.requester.phone) if _shows_place(self, info) else None

    def resolve_notes(self, info):
        return self.notes if _shows_place(self, info) else None


class TechnicianNode(SamnavObjectType):
    home_county = graphene.String(required=True, description="County code.")
    username = graphene.String(required=True)
    calendar = graphene.String(required=True, description="The working calendar's name.")
    counties = graphene.List(graphene.NonNull(graphene.String), required=True)

    class Meta:
        model = Technician
        name = "Technician"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "is_active")

    policy = staticmethod(dispatch_policies.technicians)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("user", "calendar")

    def resolve_username(self, info):
        return self.user.username

    def resolve_calendar(self, info):
        return self.calendar.name

    def resolve_counties(self, info):
        return list(self.counties)


class TechnicianSuggestion(graphene.ObjectType):
    technician = graphene.Field(TechnicianNode, required=True)
    distance_km = graphene.Float(
        required=True, description="Between the seats of the home and the visit's counties."
    )
    free_windows = graphene.List(graphene.NonNull(VisitWindowType), required=True)


class DispatchItem(graphene.ObjectType):
    """A visit in the dispatch list: what dispatch needs, no personal data."""

    visit_id = graphene.ID(required=True, description="AgencyVisit:<agency>.<visit>")
    agency = graphene.Field(AgencyNode, required=True)
    state = graphene.Field(VisitStateEnum, required=True)
    county = graphene.String(required=True)
    priority = graphene.Int(description="The ticket's priority (1 critical .. 4 low).")
    due_at = graphene.DateTime(description="The confirmed start, or the first window's.")
    technician = graphene.String(description="The booked technician's username.")
    windows = graphene.List(graphene.NonNull(VisitWindowType), required=True)
