"""Field visits of one agency: the place (an address is personal data), the acceptable time
windows, dispatch, and what happened on site. Home: the agency's schema.

Central IT sees a visit through its cross-agency index row (state, start, technician, county:
no address) and opens the details inside the agency's schema."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.counties import COUNTY_CHOICES

if TYPE_CHECKING:
    from tenants.models import Agency


def arrival_early_minutes() -> int:
    """How long before a visit's booked start its technician may arrive (and see where)."""
    return int(getattr(settings, "SAMNAV_ARRIVAL_EARLY_MINUTES", 60))


class PlaceKind(models.TextChoices):
    HOME = "home", _("Home")
    OFFICE = "office", _("Office")
    OTHER = "other", _("Other address")


class VisitState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    DISPATCHED = "dispatched", _("Dispatched")
    ARRIVED = "arrived", _("Technician on site")
    DONE = "done", _("Done")
    NOT_COMPLETED = "not_completed", _("Could not be completed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_VISIT_STATES = (VisitState.REQUESTED, VisitState.DISPATCHED, VisitState.ARRIVED)
BOOKED_VISIT_STATES = (VisitState.DISPATCHED, VisitState.ARRIVED)
FINISHED_VISIT_STATES = (VisitState.DONE, VisitState.NOT_COMPLETED)


class Visit(models.Model):
    # The agency whose schema the row was read from, set by loaders that read it for another
    # host (api/visits/queries.py); the GraphQL types read it. Not a field.
    _samnav_agency: Agency

    ticket = models.ForeignKey("support.Ticket", on_delete=models.PROTECT, related_name="visits")
    requester = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="visits")
    place_kind = models.CharField(_("place"), max_length=10, choices=PlaceKind.choices)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    county = models.CharField(_("county"), max_length=2, choices=COUNTY_CHOICES)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=VisitState.choices, default=VisitState.REQUESTED
    )
    # The technician's federation identity (public schema): a plain id, not a foreign key.
    technician_id = models.BigIntegerField(_("technician (identity)"), null=True, blank=True)
    confirmed_start = models.DateTimeField(_("confirmed start"), null=True, blank=True)
    confirmed_end = models.DateTimeField(_("confirmed end"), null=True, blank=True)
    dispatched_by_id = models.BigIntegerField(_("dispatched by (identity)"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    travel_minutes = models.PositiveIntegerField(_("travel minutes"), null=True, blank=True)
    on_site_minutes = models.PositiveIntegerField(_("minutes on site"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The month whose cost driver counted this visit (set once, with the count).
    counted_month = models.DateField(_("counted in month"), null=True, blank=True)
    created_by_id = models.BigIntegerField(_("requested by (identity)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_end__isnull=True)
                | Q(confirmed_end__gt=models.F("confirmed_start")),
                name="visits_confirmed_order",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.state}"

    def arrival_window(self) -> tuple[dt.datetime, dt.datetime] | None:
        """When the technician may mark their arrival: from SAMNAV_ARRIVAL_EARLY_MINUTES (60)
        before the booked start until the booked end; None while nothing is booked."""
        if self.confirmed_start is None or self.confirmed_end is None:
            return None
        early = dt.timedelta(minutes=arrival_early_minutes())
        return self.confirmed_start - early, self.confirmed_end

    def is_active(self, now: dt.datetime | None = None) -> bool:
        """Active: on site, or dispatched and within its arrival window. Only an active visit
        shows its address, contact and notes to its technician."""
        if self.state == VisitState.ARRIVED:
            return True
        window = self.arrival_window()
        if self.state != VisitState.DISPATCHED or window is None:
            return False
        return window[0] <= (now or timezone.now()) <= window[1]


class VisitWindow(models.Model):
    """A time window in which the requester can receive the technician."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="windows")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("time window")
        verbose_name_plural = _("time windows")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="visits_window_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"
