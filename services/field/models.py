"""Field dispatch (shared): technicians with their home county, working calendar and the
counties they cover; the intervals they are booked for; and visits per agency and month as a
cost driver. Home: public (ids, times and counts only: never an address or a name).

The counties and the distances between their seats are in `tenants/counties.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.counties import COUNTIES, COUNTY_CHOICES


def validate_counties(value: Iterable[str] | None) -> None:
    unknown = sorted(set(value or ()) - set(COUNTIES))
    if unknown:
        raise ValidationError(
            _("Unknown county codes: %(codes)s."), params={"codes": ", ".join(unknown)}
        )


class Technician(models.Model):
    """A central IT technician who makes field visits. The identity must hold the TECHNICIAN
    role centrally (checked by dispatch and by the admin form)."""

    user = models.OneToOneField(
        "tenants.User",
        on_delete=models.PROTECT,
        related_name="technician",
        verbose_name=_("identity"),
    )
    home_county = models.CharField(_("home county"), max_length=2, choices=COUNTY_CHOICES)
    calendar = models.ForeignKey(
        "calendars.BusinessCalendar",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("working calendar"),
    )
    counties = ArrayField(
        models.CharField(max_length=2),
        verbose_name=_("counties covered"),
        default=list,
        blank=True,
        validators=[validate_counties],
        help_text=_("County codes, e.g. AB, C, U."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("technician")
        verbose_name_plural = _("technicians")
        ordering = ["user__username"]
        indexes = [
            # "who covers county X": counties @> ARRAY['X']
            models.Index(fields=["is_active"], name="dispatch_tech_active"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.home_county})"

    def clean(self) -> None:
        super().clean()
        self.counties = sorted(set(self.counties or ()))


class Booking(models.Model):
    """A technician is taken for [starts_at, ends_at) by one dispatched visit of one agency
    (named by agency and local id, never by a foreign key into its schema). Written in the
    same transaction as the visit and its index row; removed when the visit is finished or
    cancelled. Double booking is checked against these rows under a lock on the technician.

    The cross-agency index row of a visit carries its start (`due_at`) but no end, so the
    intervals live here."""

    technician = models.ForeignKey(Technician, on_delete=models.CASCADE, related_name="bookings")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.CASCADE, related_name="+")
    visit_id = models.BigIntegerField(_("visit (local id)"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "visit_id"], name="dispatch_booking_once"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="dispatch_booking_order"
            ),
        ]
        indexes = [
            models.Index(fields=["technician", "starts_at"], name="dispatch_booking_tech"),
        ]

    def __str__(self) -> str:
        return f"{self.technician_id} {self.starts_at:%Y-%m-%d %H:%M}"


class VisitDriver(models.Model):
    """Field visits of one agency in one month: a cost driver for the monthly split. Each
    finished visit (done or not completed) is counted once, when it finishes, in the same
    transaction as its state change."""

    agency = models.ForeignKey("tenants.Agency", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    visits = models.PositiveIntegerField(_("visits"), default=0)
    minutes_on_site = models.PositiveIntegerField(_("minutes on site"), default=0)
    minutes_travel = models.PositiveIntegerField(_("minutes travelling"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("visit cost driver")
        verbose_name_plural = _("visit cost drivers")
        ordering = ["-month", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="dispatch_driver_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="dispatch_driver_month"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}: {self.visits}"

    @property
    def hours(self) -> float:
        """On site plus travelling, in hours (for display; the minutes are exact)."""
        return (self.minutes_on_site + self.minutes_travel) / 60
