"""Mutations of visits. Each calls one action of services/field/visits."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, host_agency, require_central_for_mutation
from api.core.refs import agency_row_ref, central_id, local_id
from api.visits.queries import load_visit
from api.visits.types import (
    PlaceKindEnum,
    TechnicianNode,
    TechnicianVisit,
    VisitNode,
    VisitStateEnum,
)
from services.field.models import Technician
from services.field.visits import actions
from services.field.visits.errors import VisitErrorCode
from tenants.roles import SERVICE_DESK, Role


class VisitMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = VisitErrorCode
    error_type_name = "VisitError"

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles


def _visit_id(info, agency, pk: int) -> str:
    """The id a caller uses for the visit on this host."""
    if host_agency(info) is not None:
        return graphene.relay.Node.to_global_id("Visit", pk)
    return central_id("Visit", agency.pk, pk)


class VisitWindowInput(graphene.InputObjectType):
    starts_at = graphene.DateTime(required=True)
    ends_at = graphene.DateTime(required=True)


class RequestVisitInput(graphene.InputObjectType):
    ticket = graphene.ID(required=True, description="Ticket (AgencyTicket centrally).")
    place = PlaceKindEnum(required=True, description="HOME and OFFICE fill in what they can.")
    windows = graphene.List(graphene.NonNull(VisitWindowInput), required=True)
    street_address = graphene.String()
    postal_code = graphene.String()
    city = graphene.String()
    county = graphene.String(description="County code, e.g. AB; default: the agency's.")
    contact_phone = graphene.String(description="Default: the requester's phone.")
    notes = graphene.String()


class RequestVisit(VisitMutation):
    """Ask for a technician to come, about a ticket."""

    class Arguments:
        input = RequestVisitInput(required=True)

    visit = graphene.Field(VisitNode, description="On the agency's host.")
    visit_id = graphene.ID()

    @classmethod
    def perform(cls, info, input):
        agency, ticket_pk = agency_row_ref(info, input.ticket, "Ticket", "ticket")
        data = actions.NewVisit(
            ticket_id=ticket_pk,
            place_kind=getattr(input.place, "value", input.place),
            windows=[(w.starts_at, w.ends_at) for w in input.windows],
            street_address=input.street_address or "",
            postal_code=input.postal_code or "",
            city=input.city or "",
            county=input.county or "",
            contact_phone=input.contact_phone or "",
            notes=input.notes or "",
        )
        visit = actions.request_visit(agency, current_user(info), data)
        on_host = host_agency(info) is not None
        return {
            "visit": load_visit(agency, visit.pk) if on_host else None,
            "visit_id": _visit_id(info, agency, visit.pk),
        }


class DispatchVisit(VisitMutation):
    """Book a technician for one of the visit's windows; the requester is told."""

    class Arguments:
        visit = graphene.ID(required=True, description="AgencyVisit:<agency>.<visit>")
        technician = graphene.ID(required=True)
        window = graphene.ID(required=True, description="One of the visit's windows.")

    visit_id = graphene.ID()
    technician = graphene.Field(TechnicianNode)
    confirmed_start = graphene.DateTime()
    confirmed_end = graphene.DateTime()

    @classmethod
    def check_permission(cls, info):
        require_central_for_mutation(info, *SERVICE_DESK)

    @classmethod
    def perform(cls, info, visit, technician, window):
        agency, pk = agency_row_ref(info, visit, "Visit", "visit")
        row = actions.dispatch_visit(
            agency,
            current_user(info),
            pk,
            technician_id=local_id(technician, "Technician", "technician"),
            window_id=local_id(window, "VisitWindow", "window"),
        )
        tech = Technician.objects.select_related("user", "calendar").get(user_id=row.technician_id)
        return {
            "visit_id": central_id("Visit", agency.pk, pk),
            "technician": tech,
            "confirmed_start": row.confirmed_start,
            "confirmed_end": row.confirmed_end,
        }


class TechnicianMutation(VisitMutation):
    class Meta:
        abstract = True

    visit = graphene.Field(TechnicianVisit)

    @classmethod
    def check_permission(cls, info):
        require_central_for_mutation(info, Role.TECHNICIAN, Role.PLATFORM_ADMIN)


class ArriveVisit(TechnicianMutation):
    """The technician is on site."""

    class Arguments:
        visit = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, visit):
        agency, pk = agency_row_ref(info, visit, "Visit", "visit")
        actions.mark_arrived(agency, current_user(info), pk)
        return {"visit": load_visit(agency, pk)}


class CompleteVisit(TechnicianMutation):
    """Done, or could not be completed (say why). Time on site defaults to the time since
    arrival."""

    class Arguments:
        visit = graphene.ID(required=True)
        done = graphene.Boolean(required=True)
        travel_minutes = graphene.Int(required=True)
        on_site_minutes = graphene.Int()
        reason = graphene.String(default_value="")

    @classmethod
    def perform(cls, info, visit, done, travel_minutes, on_site_minutes=None, reason=""):
        agency, pk = agency_row_ref(info, visit, "Visit", "visit")
        actions.complete_visit(
            agency,
            current_user(info),
            pk,
            done=done,
            travel_minutes=travel_minutes,
            on_site_minutes=on_site_minutes,
            reason=reason,
        )
        return {"visit": load_visit(agency, pk)}


class CancelVisit(VisitMutation):
    """Cancel a visit that has not started (the requester, the agency's admins or the
    service desk)."""

    class Arguments:
        visit = graphene.ID(required=True)
        reason = graphene.String(default_value="")

    visit_id = graphene.ID()
    state = graphene.Field(VisitStateEnum)

    @classmethod
    def perform(cls, info, visit, reason=""):
        agency, pk = agency_row_ref(info, visit, "Visit", "visit")
        row = actions.cancel_visit(agency, current_user(info), pk, reason)
        return {"visit_id": _visit_id(info, agency, pk), "state": row.state}


class VisitsMutations(graphene.ObjectType):
    request_visit = RequestVisit.Field()
    dispatch_visit = DispatchVisit.Field()
    arrive_visit = ArriveVisit.Field()
    complete_visit = CompleteVisit.Field()
    cancel_visit = CancelVisit.Field()
