"""Mutations of hubs: book and cancel a slot (agency host), mark a booking attended (hub
staff and service desk, central host). Each calls one action of services/hubs/bookings.
Lending and taking back loaners: api/hubs/loaners.py."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, host_agency
from api.core.refs import agency_of_host, agency_row_ref, local_id
from api.hubs.loaners import LendLoaner, ReturnLoaner
from api.hubs.queries import load_booking
from api.hubs.types import HubBookingNode, HubServiceEnum, RemindByEnum
from services.hubs.bookings import actions
from services.hubs.errors import HubErrorCode


class BookingMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = HubErrorCode
    error_type_name = "HubBookingError"

    booking = graphene.Field(HubBookingNode)

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles


class BookHubSlotInput(graphene.InputObjectType):
    hub = graphene.ID(required=True)
    service = HubServiceEnum(required=True)
    starts_at = graphene.DateTime(required=True, description="A slot start from freeSlots.")
    person = graphene.ID(description="A Person; admins only. Default: yourself.")
    ticket = graphene.ID(description="A Ticket of the agency the visit is about.")
    device = graphene.ID(description="A Device of the agency to bring or collect.")
    remind_by = RemindByEnum(description="Default: e-mail, or SMS without an e-mail address.")


class BookHubSlot(BookingMutation):
    """Book a hub slot (the agency of this host)."""

    class Arguments:
        input = BookHubSlotInput(required=True)

    @classmethod
    def perform(cls, info, input):
        agency = agency_of_host(info)
        booking = actions.book_slot(
            agency,
            current_user(info),
            hub_id=local_id(input.hub, "Hub", "hub"),
            service=getattr(input.service, "value", input.service),
            starts_at=input.starts_at,
            person_id=local_id(input.person, "Person", "person") if input.person else None,
            ticket_id=local_id(input.ticket, "Ticket", "ticket") if input.ticket else None,
            device_id=local_id(input.device, "Device", "device") if input.device else None,
            remind_by=getattr(input.remind_by, "value", input.remind_by),
        )
        return {"booking": load_booking(agency, booking.pk)}


class CancelHubBooking(BookingMutation):
    """Cancel a booking before its slot (its holder or the agency's admins, agency host)."""

    class Arguments:
        booking = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, booking):
        agency = agency_of_host(info)
        pk = local_id(booking, "HubBooking", "booking")
        actions.cancel_booking(agency, current_user(info), pk)
        return {"booking": load_booking(agency, pk)}


class MarkBookingAttended(BookingMutation):
    """The person came (hub staff or service desk, central host, with the central id)."""

    class Arguments:
        booking = graphene.ID(required=True, description="AgencyHubBooking:<agency>.<pk>")

    @classmethod
    def check_permission(cls, info):
        super().check_permission(info)
        if host_agency(info) is not None:
            raise PermissionDenied(_("Use the central address for this."))

    @classmethod
    def perform(cls, info, booking):
        agency, pk = agency_row_ref(info, booking, "HubBooking", "booking")
        actions.mark_attended(agency, current_user(info), pk)
        return {"booking": load_booking(agency, pk)}


class HubsMutations(graphene.ObjectType):
    book_hub_slot = BookHubSlot.Field()
    cancel_hub_booking = CancelHubBooking.Field()
    mark_booking_attended = MarkBookingAttended.Field()
    lend_loaner = LendLoaner.Field()
    return_loaner = ReturnLoaner.Field()
