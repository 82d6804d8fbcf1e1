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


class HeldState(models.TextChoices):
    HELD = "held", _("Held")
    RELEASED = "released", _("Released")
    DISCARDED = "discarded", _("Discarded")


class HeldMail(models.Model):
    """An inbound mail whose sender the mail gateway could not confirm (SPF, DKIM, DMARC:
    services/support/channels/email_auth.py). Nothing of it is filed until the service desk
    releases it (it is then filed as any mail is) or discards it; its sender hears nothing."""

    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    sender = models.CharField(_("sender"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=250, unique=True)
    reason = models.TextField(_("reason"))
    raw = models.BinaryField(_("message"))
    state = models.CharField(
        _("state"), max_length=16, choices=HeldState.choices, default=HeldState.HELD
    )
    decided_by = models.ForeignKey(
        "tenants.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("held mail")
        verbose_name_plural = _("held mail")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"
