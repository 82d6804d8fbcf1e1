"""The agency's devices (computers, phones, tablets). Home: the agency's schema: who holds a
device is personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceState(models.TextChoices):
    IN_USE = "in_use", _("In use")
    IN_REPAIR = "in_repair", _("In repair")
    IN_STOCK = "in_stock", _("In stock")
    RETIRED = "retired", _("Retired")


class Device(models.Model):
    serial_number = models.CharField(_("serial number"), max_length=60, unique=True)
    model = models.CharField(_("model"), max_length=120)
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

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["serial_number"]

    def __str__(self) -> str:
        return f"{self.model} ({self.serial_number})"
