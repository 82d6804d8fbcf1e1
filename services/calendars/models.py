"""Business calendars for the SLA/OLA clocks. Home: public (shared by every agency).

A calendar says when the clock counts: opening hours per weekday (no row: closed that weekday),
the public holidays of a country (from the `holidays` package), the Swedish eves that close
fully or at midday (configured here: this configuration is authoritative, whatever the
`holidays` package lists), and closures for all agencies or for one agency.

The arithmetic never reads these models: `services.calendars.hours.spec_for` turns a calendar
into an immutable `CalendarSpec` once, and `hours` and `clock` work on that.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import holidays
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Eve(models.TextChoices):
    """The eves that Swedish workplaces often close early or entirely (the day before a
    holiday). Their dates are computed in `hours.eve_dates`."""

    TWELFTH_NIGHT = "twelfth_night_eve", _("Twelfth Night eve (5 January)")
    MAUNDY_THURSDAY = "maundy_thursday", _("Maundy Thursday")
    EASTER_EVE = "easter_eve", _("Easter eve (Holy Saturday)")
    WALPURGIS_NIGHT = "walpurgis_night", _("Walpurgis Night (30 April)")
    ASCENSION_EVE = "ascension_eve", _("Day before Ascension Day")
    WHITSUN_EVE = "whitsun_eve", _("Whitsun eve")
    NATIONAL_DAY_EVE = "national_day_eve", _("Day before National Day (5 June)")
    MIDSUMMER_EVE = "midsummer_eve", _("Midsummer eve")
    ALL_SAINTS_EVE = "all_saints_eve", _("All Saints' eve")
    CHRISTMAS_EVE = "christmas_eve", _("Christmas eve")
    NEW_YEARS_EVE = "new_years_eve", _("New Year's eve")


class EveRule(models.TextChoices):
    CLOSED = "closed", _("Closed")
    HALF = "half", _("Half day")
    NORMAL = "normal", _("Normal hours")


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("Unknown time zone: %(zone)s."), code="time_zone", params={"zone": value}
        ) from exc


def validate_eves(value: object) -> None:
    """`close_on_eves` maps an `Eve` value to an `EveRule` value; an eve left out is normal."""
    if not isinstance(value, dict):
        raise ValidationError(_("The eves must be a mapping of eve to rule."), code="eves")
    for eve, rule in value.items():
        if eve not in Eve.values:
            raise ValidationError(_("Unknown eve: %(eve)s."), code="eves", params={"eve": eve})
        if rule not in EveRule.values:
            raise ValidationError(
                _("Unknown rule for %(eve)s: %(rule)s."),
                code="eves",
                params={"eve": eve, "rule": rule},
            )


class BusinessCalendar(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Stockholm",
        validators=[validate_time_zone],
        help_text=_("Opening hours are wall-clock times in this zone."),
    )
    holiday_country = models.CharField(
        _("public holidays of"),
        max_length=2,
        blank=True,
        default="SE",
        help_text=_("ISO country code whose public holidays are closed; empty for none."),
    )
    close_on_eves = models.JSONField(
        _("eves"),
        default=dict,
        blank=True,
        validators=[validate_eves],
        help_text=_(
            'Per eve: "closed", "half" (closes at the half-day time) or "normal". An eve '
            "left out keeps its normal opening hours."
        ),
    )
    half_day_closes_at = models.TimeField(_("half days close at"), default=dt.time(13, 0))

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.holiday_country:
            if self.holiday_country.upper() not in holidays.list_supported_countries():
                raise ValidationError(
                    {"holiday_country": _("No public holidays are known for this country.")}
                )
            self.holiday_country = self.holiday_country.upper()


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """Open from `opens_at` to `closes_at` on a weekday; `closes_at` 00:00 means midnight at
    the end of the day (so 00:00 to 00:00 is the whole day)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=Weekday.choices,
        validators=[MinValueValidator(0), MaxValueValidator(6)],
    )
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(
        _("closes at"), help_text=_("00:00 means midnight at the end of the day.")
    )

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["calendar", "weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "weekday"], name="calendars_one_opening_per_weekday"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="calendars_weekday_0_6"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")) | Q(closes_at=dt.time(0, 0)),
                name="calendars_opens_before_closing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self) -> None:
        super().clean()
        if (
            self.opens_at is not None
            and self.closes_at is not None
            and self.closes_at != dt.time(0, 0)
            and self.opens_at >= self.closes_at
        ):
            raise ValidationError({"closes_at": _("Closing must come after opening.")})


class Closure(models.Model):
    """A date on which a calendar is closed, for every agency (`agency` empty) or for one.

    Without times the whole day is closed. `closes_at` is when the closure begins and
    `opens_at` when it ends: only `closes_at` closes early, only `opens_at` opens late, and
    both close the hours between them (closes_at < opens_at, e.g. a staff meeting) or keep only
    the hours between them open (opens_at < closes_at).
    """

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="closures"
    )
    agency = models.ForeignKey(
        "tenants.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_closures",
        verbose_name=_("agency"),
        help_text=_("Empty: closed for every agency."),
    )
    date = models.DateField(_("date"))
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    opens_at = models.TimeField(_("opens again at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["calendar", "date"]
        indexes = [models.Index(fields=["calendar", "date"], name="calendars_closure_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | ~Q(closes_at=models.F("opens_at")),
                name="calendars_closure_times_differ",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.calendar} {self.date}"

    def clean(self) -> None:
        super().clean()
        if self.closes_at is not None and self.closes_at == self.opens_at:
            raise ValidationError({"opens_at": _("Closing and opening times must differ.")})
