"""The agency's devices (computers, phones, tablets) and their chain of custody. Home: the
agency's schema: who holds a device is personal data.

Every hand-over (person to hub, hub to technician, hub to person, ...) is a `Handover` row, and
the device's current custodian and location are updated in the same transaction, so a device's
whereabouts are always known (`services.devices.custody`)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeviceState(models.TextChoices):
    IN_USE = "in_use", _("In use")
    IN_REPAIR = "in_repair", _("In repair")
    IN_STOCK = "in_stock", _("In stock")
    RETIRED = "retired", _("Retired")


class DeviceKind(models.TextChoices):
    """What a device is: decides which catalogue offerings can replace it."""

    COMPUTER = "computer", _("Computer")
    PHONE = "phone", _("Phone")
    TABLET = "tablet", _("Tablet")


class CustodianKind(models.TextChoices):
    """Who has a device. The reference is a Person id (this agency), a Hub id (public), a
    technician's identity id, a Supplier id (public), or none for the agency's own store."""

    AGENCY = "agency", _("The agency's store")
    PERSON = "person", _("Person")
    HUB = "hub", _("Service hub")
    TECHNICIAN = "technician", _("Technician")
    SUPPLIER = "supplier", _("Supplier")


class Device(models.Model):
    serial_number = models.CharField(_("serial number"), max_length=60, unique=True)
    model = models.CharField(_("model"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=10, choices=DeviceKind.choices, default=DeviceKind.COMPUTER
    )
    holder = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="devices",
        verbose_name=_("holder"),
    )
    warranty_ends_on = models.DateField(_("warranty ends on"), null=True, blank=True)
    planned_replacement_on = models.DateField(_("planned replacement"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=DeviceState.choices, default=DeviceState.IN_USE
    )
    custodian_kind = models.CharField(
        _("custodian"), max_length=12, choices=CustodianKind.choices, default=CustodianKind.AGENCY
    )
    custodian_ref = models.BigIntegerField(_("custodian reference"), null=True, blank=True)
    custodian_since = models.DateTimeField(_("with the custodian since"), default=timezone.now)
    # DO_NOTHING into public: see docs/decisions/2026-11-22-cross-schema-references.md
    location_hub = models.ForeignKey(
        "hubs.Hub",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("at hub"),
    )
    location_text = models.CharField(_("where"), max_length=200, blank=True)
    # central IT's loaner (a hub's stock item) while and after it is lent to this agency
    is_loaner = models.BooleanField(_("loaner"), default=False)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["serial_number"]
        indexes = [
            models.Index(fields=["custodian_kind", "custodian_ref"], name="devices_custodian")
        ]

    def __str__(self) -> str:
        return f"{self.model} ({self.serial_number})"


class Handover(models.Model):
    """One hand-over of a device: from whom to whom, by whom, when and where."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="handovers")
    from_kind = models.CharField(_("from"), max_length=12, choices=CustodianKind.choices)
    from_ref = models.BigIntegerField(null=True, blank=True)
    to_kind = models.CharField(_("to"), max_length=12, choices=CustodianKind.choices)
    to_ref = models.BigIntegerField(null=True, blank=True)
    actor_id = models.BigIntegerField(_("recorded by (identity)"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    where_hub = models.ForeignKey(
        "hubs.Hub",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("at hub"),
    )
    where_text = models.CharField(_("where"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.device_id}: {self.from_kind} → {self.to_kind}"


class Loan(models.Model):
    """A hub's loaner lent to a person of this agency: when, until when, by whom, and when it
    came back. The device's hand-overs (hub to person, person to hub) are in its chain of
    custody; the hub's stock item (public) says only which agency has it and until when."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="loans")
    # DO_NOTHING into public: see docs/decisions/2026-11-22-cross-schema-references.md
    stock_item = models.ForeignKey(
        "hubs.StockItem",
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("stock item"),
    )
    hub = models.ForeignKey(
        "hubs.Hub", on_delete=models.DO_NOTHING, related_name="+", verbose_name=_("hub")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="loans", verbose_name=_("person")
    )
    lent_at = models.DateTimeField(_("lent at"), default=timezone.now)
    expected_return = models.DateField(_("expected back on"))
    lent_by_id = models.BigIntegerField(_("lent by (identity)"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by_id = models.BigIntegerField(_("taken back by (identity)"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=models.Q(returned_at__isnull=True),
                name="devices_one_open_loan_per_device",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device_id} → {self.person_id} ({self.expected_return:%Y-%m-%d})"
