"""Service hubs (shared): where staff drop off or pick up devices, their opening hours, slot
length and capacity, the services offered, the load of each slot across agencies, and each hub's
stock of loaner and replacement devices. Home: public (no personal data)."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.counties import COUNTY_CHOICES


class HubService(models.TextChoices):
    DROP_OFF = "drop_off", _("Drop-off for repair")
    PICK_UP = "pick_up", _("Pick-up of a new or repaired device")
    LOANER_SWAP = "loaner_swap", _("Loaner swap")


class Hub(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    county = models.CharField(_("county"), max_length=2, choices=COUNTY_CHOICES, db_index=True)
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    calendar = models.ForeignKey(
        "calendars.BusinessCalendar",
        on_delete=models.PROTECT,
        related_name="hubs",
        verbose_name=_("opening hours"),
        help_text=_("Bookable slots lie within this calendar's open hours (holidays closed)."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity per slot"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How many bookings, from all agencies together, one slot takes."),
    )
    services = ArrayField(
        models.CharField(max_length=16, choices=HubService.choices),
        verbose_name=_("services offered"),
        default=list,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service hub")
        verbose_name_plural = _("service hubs")
        ordering = ["county", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=5, capacity__gte=1),
                name="hubs_slot_and_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def offers(self, service: str) -> bool:
        return service in (self.services or [])


class SlotLoad(models.Model):
    """How many bookings, from every agency together, a hub's slot holds. One row per
    (hub, slot start), created on the first booking; `booked` only moves by a conditional
    UPDATE (`booked < capacity`) in the transaction of the agency-side booking
    (docs/decisions/2026-11-22-hub-capacity.md)."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="slot_loads")
    starts_at = models.DateTimeField(_("slot starts at"))
    booked = models.PositiveIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("slot load")
        verbose_name_plural = _("slot loads")
        ordering = ["hub", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "starts_at"], name="hubs_one_load_per_slot"),
            models.CheckConstraint(condition=models.Q(booked__gte=0), name="hubs_booked_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.hub_id} {self.starts_at:%Y-%m-%d %H:%M} {self.booked}"


class StockKind(models.TextChoices):
    LOANER = "loaner", _("Loaner")
    REPLACEMENT = "replacement", _("Replacement")


class StockState(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LENT = "lent", _("Lent")
    RESERVED = "reserved", _("Reserved")


class StockItem(models.Model):
    """A device owned by central IT and kept at a hub, to lend or to hand out as a
    replacement. Which agency it is lent or reserved to is an id, never a person."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="stock")
    serial_number = models.CharField(_("serial number"), max_length=60, unique=True)
    model = models.CharField(_("model"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=StockKind.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=StockState.choices, default=StockState.AVAILABLE
    )
    agency = models.ForeignKey(
        "tenants.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lent or reserved to"),
    )
    # when a lent loaner is due back (the loan itself, with the person, is in the agency's
    # schema: services/devices/loans.py); public, so overdue loaners are found in one query
    due_back_on = models.DateField(_("due back on"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock item")
        verbose_name_plural = _("stock items")
        ordering = ["hub", "kind", "serial_number"]
        indexes = [
            models.Index(fields=["hub", "kind", "state"], name="hubs_stock_count"),
            models.Index(fields=["state", "due_back_on"], name="hubs_stock_due_back"),
        ]

    def __str__(self) -> str:
        return f"{self.model} ({self.serial_number})"
