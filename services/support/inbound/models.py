"""Deliveries received by the inbound channels. Home: public."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    """One delivery taken: the channel and the provider's id for it (or a digest of the signed
    request when the provider gives none). A second delivery with the same key is a retry or a
    replay, answered as the first was, and files nothing."""

    channel = models.CharField(_("channel"), max_length=16)
    key = models.CharField(_("key"), max_length=128)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    outcome = models.JSONField(_("answer given"), default=dict)

    class Meta:
        verbose_name = _("inbound delivery")
        verbose_name_plural = _("inbound deliveries")
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="inbound_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.key}"
