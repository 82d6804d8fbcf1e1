"""Reminders before a hub slot and no-shows after it: both find the due bookings of every
agency with one indexed query over the cross-agency index, then act inside each agency's
schema. Both are idempotent: a booking is reminded once and marked a no-show once."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.crossindex.models import IndexEntry, IndexKind
from services.hubs.bookings.actions import index_booking, record_no_show
from services.hubs.bookings.models import Booking, BookingState, RemindBy
from services.hubs.models import Hub
from services.outbox.queue import send_sms_later
from services.people.notify import send_after_commit
from tenants.models import Agency, AgencyState

log = logging.getLogger("samnav.bookings")


def lead_time() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "SAMNAV_BOOKING_REMINDER_HOURS", 24)))


def due_reminders(now: dt.datetime) -> QuerySet[IndexEntry]:
    return (
        IndexEntry.objects.filter(
            kind=IndexKind.BOOKING,
            state=BookingState.BOOKED,
            escalation=0,
            due_at__gt=now,
            due_at__lte=now + lead_time(),
            agency__state=AgencyState.ACTIVE,
        )
        .select_related("agency")
        .order_by("due_at", "id")
    )


def due_no_shows(now: dt.datetime) -> QuerySet[IndexEntry]:
    return (
        IndexEntry.objects.filter(
            kind=IndexKind.BOOKING,
            state=BookingState.BOOKED,
            due_at__lte=now,
            agency__state=AgencyState.ACTIVE,
        )
        .select_related("agency")
        .order_by("due_at", "id")
    )


def send_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    sent = {"email": 0, "sms": 0, "none": 0}
    entries = list(due_reminders(now))
    hubs = Hub.objects.in_bulk({int(e.group) for e in entries if e.group.isdigit()})
    for entry in entries:
        how = remind(entry.agency, entry.local_id, now, hubs)
        if how:
            sent[how] += 1
    return sent


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def remind(
    agency: Agency, booking_id: int, now: dt.datetime, hubs: dict[int, Hub] | None = None
) -> str | None:
    """Remind one booking's person (once): by SMS if that is their channel, else by e-mail.
    Returns how ("email", "sms", "none" without an address), or None if nothing was due."""
    with tenant_context(agency), transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("person")
            .filter(pk=booking_id)
            .first()
        )
        if booking is None:
            return None
        if booking.state != BookingState.BOOKED or booking.reminded_at is not None:
            index_booking(agency, booking, reminded=booking.reminded_at is not None)
            return None
        hub = (hubs or {}).get(booking.hub_id) or Hub.objects.get(pk=booking.hub_id)
        booking.reminded_at = now
        booking.save(update_fields=["reminded_at"])
        index_booking(agency, booking, reminded=True)
        values = {
            "hub": hub.name,
            "address": f"{hub.street_address}, {hub.postal_code} {hub.city}",
            "when": _local(booking.starts_at),
            "service": booking.get_service_display(),
        }
        person = booking.person
        if booking.remind_by == RemindBy.SMS and person.phone:
            send_sms_later(
                person.phone,
                _("Reminder: %(service)s at %(hub)s, %(address)s, %(when)s.") % values,
            )
            return "sms"
        if person.email:
            send_after_commit(
                _("Reminder: your time at %(hub)s on %(when)s") % values,
                _(
                    "You have booked %(service)s at %(hub)s, %(address)s, on %(when)s. "
                    "If you cannot come, cancel the booking in Samnav so someone else can "
                    "have the time."
                )
                % values,
                [person.email],
            )
            return "email"
        log.info("booking reminder not sent: no address")
        return "none"


def record_no_shows(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    count = 0
    for entry in list(due_no_shows(now)):
        if record_no_show(entry.agency, entry.local_id, now=now):
            count += 1
    return count
