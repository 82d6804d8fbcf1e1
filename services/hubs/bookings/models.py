"""Service-hub bookings of one agency: a slot for a person, linked to a ticket. Home: the
agency's schema.

The hub and its slot load are public (`services.hubs`); each booking also has a row in the
cross-agency index (kind booking, due at the slot start, group the hub id), written in the
same transaction, for the hub's day list and the reminder and no-show tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.hubs.models import HubService

if TYPE_CHECKING:
    from tenants.models import Agency


class BookingState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")


class RemindBy(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Booking(models.Model):
    # The agency whose schema the row was read from, set by loaders that read it for another
    # host (api/hubs/queries.py); the GraphQL types read it. Not a field.
    _samnav_agency: Agency

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="hub_bookings"
    )
    # DO_NOTHING into public: see docs/decisions/2026-11-22-cross-schema-references.md
    hub = models.ForeignKey("hubs.Hub", on_delete=models.DO_NOTHING, related_name="+")
    service = models.CharField(_("service"), max_length=16, choices=HubService.choices)
    starts_at = models.DateTimeField(_("slot starts at"))
    ends_at = models.DateTimeField(_("slot ends at"))
    ticket = models.ForeignKey(
        "support.Ticket",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hub_bookings",
    )
    device = models.ForeignKey(
        "devices.Device",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hub_bookings",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=BookingState.choices, default=BookingState.BOOKED
    )
    remind_by = models.CharField(
        _("remind by"), max_length=8, choices=RemindBy.choices, default=RemindBy.EMAIL
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    booked_by_id = models.BigIntegerField(_("booked by (identity)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("cancelled, attended or no-show at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hub booking")
        verbose_name_plural = _("hub bookings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["hub", "starts_at"], name="bookings_hub_slot")]
        constraints = [
            # one live booking per person and slot
            models.UniqueConstraint(
                fields=["person", "hub", "starts_at"],
                condition=models.Q(state="booked"),
                name="bookings_once_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hub_id} {self.starts_at:%Y-%m-%d %H:%M} {self.state}"
