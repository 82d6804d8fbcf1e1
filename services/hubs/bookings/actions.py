"""Write paths of hub bookings: book a slot, cancel, mark attended or no-show.

Each change writes the booking, the public slot load and the booking's cross-agency index row
in one transaction: a refused booking leaves nothing behind, and the capacity of a slot holds
across agencies under concurrency (`services.hubs.slots.take_place`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.crossindex import actions as index
from services.crossindex.models import IndexKind
from services.hubs import slots
from services.hubs.bookings import policies
from services.hubs.bookings.models import Booking, BookingState, RemindBy
from services.hubs.errors import HubErrorCode as Code
from services.hubs.models import Hub, HubService
from services.people.models import Person
from services.validation import Errors, field_error
from tenants.models import Agency, User
from tenants.viewer import Viewer


def index_booking(agency: Agency, booking: Booking, *, reminded: bool | None = None) -> None:
    """The booking's index row: state, due at the slot start, group the hub id; `escalation`
    is 1 once the reminder has gone (so the reminder task skips it)."""
    fields: dict[str, Any] = {
        "state": booking.state,
        "due_at": booking.starts_at,
        "group": str(booking.hub_id),
    }
    if reminded is not None:
        fields["escalation"] = 1 if reminded else 0
    index.upsert(IndexKind.BOOKING, booking.pk, agency=agency, **fields)


def _person_for(agency: Agency, actor: User, person_id: int | None) -> Person:
    """Staff book for themselves; the agency's admins for any of its people."""
    viewer = Viewer.of(actor, agency)
    admin = policies.may_book_for_others(viewer)
    if not policies.is_member(viewer):
        raise PermissionDenied(_("You have no role in this agency."))
    if person_id is not None and not admin:
        raise PermissionDenied(_("Only the agency's admins book for someone else."))
    if person_id is not None:
        person = Person.objects.filter(pk=person_id).first()
    else:
        person = Person.objects.filter(user_id=actor.pk).first()
    if person is None:
        raise field_error("person", _("No such person in the agency."), Code.NOT_FOUND)
    return person


def book_slot(
    agency: Agency,
    actor: User,
    *,
    hub_id: int,
    service: str,
    starts_at: dt.datetime,
    person_id: int | None = None,
    ticket_id: int | None = None,
    device_id: int | None = None,
    remind_by: str | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    from services.devices.models import Device
    from services.support.models import Ticket

    hub = Hub.objects.select_related("calendar").filter(pk=hub_id, is_active=True).first()
    if hub is None:
        raise field_error("hub", _("No such hub."), Code.NOT_FOUND)
    if service not in HubService.values:
        raise field_error("service", _("Unknown service."), Code.INVALID)
    if not hub.offers(service):
        raise field_error("service", _("This hub does not offer that service."), Code.NOT_OFFERED)
    if remind_by is not None and remind_by not in RemindBy.values:
        raise field_error("remind_by", _("Unknown reminder channel."), Code.INVALID)
    ends_at = slots.check_slot(hub, starts_at, spec=slots.hub_spec(hub, agency), now=now)
    with tenant_context(agency), transaction.atomic():
        person = _person_for(agency, actor, person_id)
        errors = Errors()
        ticket = device = None
        if ticket_id is not None:
            ticket = Ticket.objects.filter(pk=ticket_id).first()
            if ticket is None:
                errors.add("ticket", _("Unknown in this agency."), Code.NOT_FOUND)
        if device_id is not None:
            device = Device.objects.filter(pk=device_id).first()
            if device is None:
                errors.add("device", _("Unknown in this agency."), Code.NOT_FOUND)
        errors.raise_if_any()
        if Booking.objects.filter(
            person=person, hub=hub, starts_at=starts_at, state=BookingState.BOOKED
        ).exists():
            raise field_error("starts_at", _("Already booked for this slot."), Code.ALREADY_BOOKED)
        if not slots.take_place(hub, starts_at):
            raise field_error("starts_at", _("This slot is fully booked."), Code.OVER_CAPACITY)
        if remind_by is None:
            remind_by = RemindBy.EMAIL if person.email or not person.phone else RemindBy.SMS
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    person=person,
                    hub=hub,
                    service=service,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    ticket=ticket,
                    device=device,
                    remind_by=remind_by,
                    booked_by_id=actor.pk,
                )
        except IntegrityError as exc:  # the same person, twice at once
            raise field_error(
                "starts_at", _("Already booked for this slot."), Code.ALREADY_BOOKED
            ) from exc
        index_booking(agency, booking, reminded=False)
    return booking


def _lock(booking_id: int) -> Booking:
    booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
    if booking is None:
        raise field_error("booking", _("No such booking."), Code.NOT_FOUND)
    return booking


def cancel_booking(
    agency: Agency, actor: User, booking_id: int, *, now: dt.datetime | None = None
) -> Booking:
    """The person who holds the booking, or the agency's admins, cancel before the slot;
    the place is free for anyone again."""
    now = now or timezone.now()
    with tenant_context(agency), transaction.atomic():
        booking = _lock(booking_id)
        own = Person.objects.filter(pk=booking.person_id, user_id=actor.pk).exists()
        if not (own or policies.cancels_any_booking(Viewer.of(actor, agency))):
            raise PermissionDenied(_("This is not your booking."))
        if booking.state != BookingState.BOOKED:
            raise field_error(
                "booking", _("Only a live booking can be cancelled."), Code.INVALID_STATE
            )
        if booking.starts_at <= now:
            raise field_error("booking", _("The slot has already begun."), Code.IN_PAST)
        booking.state, booking.closed_at = BookingState.CANCELLED, now
        booking.save(update_fields=["state", "closed_at"])
        slots.give_back(booking.hub_id, booking.starts_at)
        index_booking(agency, booking)
    return booking


def mark_attended(
    agency: Agency, actor: User, booking_id: int, *, now: dt.datetime | None = None
) -> Booking:
    """Hub staff (or the central service desk) receive the person: attended. A booking
    recorded as a no-show can still be corrected to attended."""
    if not policies.marks_attendance(Viewer.of(actor)):
        raise PermissionDenied(_("Only hub staff or the service desk mark attendance."))
    now = now or timezone.now()
    with tenant_context(agency), transaction.atomic():
        booking = _lock(booking_id)
        if booking.state not in (BookingState.BOOKED, BookingState.NO_SHOW):
            raise field_error("booking", _("The booking was cancelled."), Code.INVALID_STATE)
        booking.state, booking.closed_at = BookingState.ATTENDED, now
        booking.save(update_fields=["state", "closed_at"])
        index_booking(agency, booking)
    return booking


def record_no_show(agency: Agency, booking_id: int, *, now: dt.datetime) -> bool:
    """After the slot has ended, a booking still open is a no-show. Idempotent: anything but
    an ended, still-booked booking is left as it is (its index row is brought in line)."""
    with tenant_context(agency), transaction.atomic():
        booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
        if booking is None:
            return False
        if booking.state != BookingState.BOOKED or booking.ends_at > now:
            index_booking(agency, booking)
            return False
        booking.state, booking.closed_at = BookingState.NO_SHOW, now
        booking.save(update_fields=["state", "closed_at"])
        index_booking(agency, booking)
    return True
