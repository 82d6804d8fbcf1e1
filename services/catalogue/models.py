"""The shared service catalogue. Home: public.

Services are delivered by suppliers under agreements (an OLA when central IT delivers, an SLA
when an external supplier does) and offered at tiers (offerings) with versioned prices.
Money is integer öre.
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LEVELS = [MinValueValidator(1), MaxValueValidator(4)]


class Category(models.TextChoices):
    EMAIL = "email", _("E-mail")
    COLLABORATION = "collaboration", _("Collaboration")
    CLIENT_PLATFORM = "client_platform", _("Client platform and devices")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    SUPPORT = "support", _("Support")
    PROJECT_MANAGEMENT = "project_management", _("Project management")
    PROCUREMENT = "procurement", _("Procurement")
    SYSTEM_MANAGEMENT = "system_management", _("System management")
    LICENCES = "licences", _("Licences")


class Lifecycle(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    RETIRING = "retiring", _("Retiring")
    RETIRED = "retired", _("Retired")


class Supplier(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    is_internal = models.BooleanField(_("internal (central IT)"), default=False)
    org_number = models.CharField(_("organisation number"), max_length=11, blank=True)
    contract_reference = models.CharField(_("contract reference"), max_length=100, blank=True)
    contract_ends_on = models.DateField(_("contract ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgreementKind(models.TextChoices):
    OLA = "ola", _("OLA (central IT and agencies)")
    SLA = "sla", _("SLA (external supplier)")


class Agreement(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=3, choices=AgreementKind.choices)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    availability_percent = models.DecimalField(
        _("availability (%)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    support_hours = models.CharField(_("support hours"), max_length=100)
    calendar = models.ForeignKey(
        "calendars.BusinessCalendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("business calendar"),
        help_text=_("The hours the agreement's clocks count. Empty: the default calendar."),
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="ola", supplier__isnull=True)
                | Q(kind="sla", supplier__isnull=False),
                name="agreement_sla_has_supplier",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AgreementTarget(models.Model):
    """Response and resolution targets of an agreement for one priority (1 = critical)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="targets")
    priority = models.PositiveSmallIntegerField(_("priority"), validators=LEVELS)
    response_minutes = models.PositiveIntegerField(_("first response (business minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution (business minutes)"))

    class Meta:
        verbose_name = _("agreement target")
        verbose_name_plural = _("agreement targets")
        ordering = ["agreement_id", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "priority"], name="target_per_priority")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} P{self.priority}"


class Service(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    owner = models.CharField(_("owner (central IT function)"), max_length=200)
    suppliers = models.ManyToManyField(Supplier, related_name="services", blank=True)
    lifecycle = models.CharField(
        _("lifecycle"), max_length=16, choices=Lifecycle.choices, default=Lifecycle.ACTIVE
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PriceModel(models.TextChoices):
    FIXED_MONTHLY = "fixed_monthly", _("Fixed per month")
    PER_UNIT_MONTHLY = "per_unit_monthly", _("Per unit per month")
    ONE_OFF = "one_off", _("One-off")
    PASS_THROUGH = "pass_through", _("Pass-through of actual cost")


class Offering(models.Model):
    """A tier of a service that agencies order."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="offerings")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    security_level = models.PositiveSmallIntegerField(_("security level met"), validators=LEVELS)
    availability_level = models.PositiveSmallIntegerField(
        _("availability level met"), validators=LEVELS
    )
    price_model = models.CharField(_("price model"), max_length=20, choices=PriceModel.choices)
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("user, device, GB…"))
    min_quantity = models.PositiveIntegerField(_("minimum quantity"), default=1)
    max_quantity = models.PositiveIntegerField(_("maximum quantity"), default=1)
    notice_days = models.PositiveIntegerField(_("notice period (days)"), default=90)
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=10)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="offerings")
    lifecycle = models.CharField(
        _("lifecycle"), max_length=16, choices=Lifecycle.choices, default=Lifecycle.ACTIVE
    )

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["service__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_quantity__gte=1) & Q(max_quantity__gte=models.F("min_quantity")),
                name="offering_quantity_range",
            ),
            models.CheckConstraint(
                condition=Q(security_level__gte=1, security_level__lte=4)
                & Q(availability_level__gte=1, availability_level__lte=4),
                name="offering_levels_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.name}: {self.name}"

    @property
    def is_orderable_state(self) -> bool:
        return self.lifecycle == Lifecycle.ACTIVE and self.service.lifecycle == Lifecycle.ACTIVE


class OfferingPrice(models.Model):
    """A price version. The price valid on a day is the latest with valid_from <= that day."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="prices")
    valid_from = models.DateField(_("valid from"))
    monthly_ore = models.BigIntegerField(_("monthly price (öre)"), default=0)
    one_off_ore = models.BigIntegerField(_("one-off price (öre)"), default=0)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["offering_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "valid_from"], name="price_per_day"),
            models.CheckConstraint(
                condition=Q(monthly_ore__gte=0) & Q(one_off_ore__gte=0), name="price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering.code} from {self.valid_from}"


class RelationKind(models.TextChoices):
    REQUIRES = "requires", _("requires")
    EXCLUDES = "excludes", _("excludes")


class OfferingRelation(models.Model):
    """`offering` requires (or excludes) `other`. Exclusions hold in both directions."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="relations")
    other = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=RelationKind.choices)

    class Meta:
        verbose_name = _("offering relation")
        verbose_name_plural = _("offering relations")
        constraints = [
            models.UniqueConstraint(fields=["offering", "other", "kind"], name="relation_once"),
            models.CheckConstraint(
                condition=~Q(offering=models.F("other")), name="relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering.code} {self.kind} {self.other.code}"


def price_on(prices: list[OfferingPrice], day: dt.date) -> OfferingPrice | None:
    """The price valid on `day` from an offering's prefetched prices (any order)."""
    valid = [p for p in prices if p.valid_from <= day]
    return max(valid, key=lambda p: p.valid_from) if valid else None


class SupplierContract(models.Model):
    """A contract with a supplier: its total value over the period, the services it delivers.
    Commercial figures only (no personal data). The annual value, when the contract names one,
    is used as is by the spend-concentration report; otherwise the total is annualised
    (services/catalogue/suppliers.py)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(_("contract reference"), max_length=100)
    value_ore = models.BigIntegerField(
        _("total contract value (öre)"), validators=[MinValueValidator(0)]
    )
    annual_value_ore = models.BigIntegerField(
        _("annual value (öre)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("When the contract names one; otherwise the total is annualised."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), help_text=_("The last day the contract is in force."))
    services = models.ManyToManyField(
        Service, related_name="supplier_contracts", blank=True, verbose_name=_("services delivered")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("supplier contract")
        verbose_name_plural = _("supplier contracts")
        ordering = ["supplier__name", "starts_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "reference"], name="supplier_contract_reference_once"
            ),
            models.CheckConstraint(
                condition=Q(value_ore__gte=0)
                & (Q(annual_value_ore__isnull=True) | Q(annual_value_ore__gte=0)),
                name="supplier_contract_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="supplier_contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier.name}: {self.reference}"
