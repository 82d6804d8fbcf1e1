"""Outgoing messages as rows. Home: public, for central IT's own mail (its function
mailboxes); mail to an agency's people is the same row in that agency's schema
(services.outbox.agency.OutboundMessage), since addresses and text are the agency's personal
data."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class MessageState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundBase(models.Model):
    """One message to send: the recipients, the text and, for mail, the headers (Message-ID
    and threading). `key` names it to the outside world (the Message-ID of mail that has none
    of its own), so a copy resent after a crash is recognisable as the same message."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipients = models.JSONField(default=list)
    from_email = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    body = models.TextField()
    headers = models.JSONField(default=dict)
    state = models.CharField(
        max_length=8, choices=MessageState.choices, default=MessageState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the sweeper may hand it to a worker again (a lost task, a retry after an error).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    # Declared here, as Django would add it to each table, so that code written for either
    # outbox (services/outbox/homes.py: message_model) reaches the rows through the base.
    objects = models.Manager()

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.channel} {self.key} ({self.state})"


class CentralMessage(OutboundBase):
    class Meta(OutboundBase.Meta):
        verbose_name = _("central outgoing message")
        verbose_name_plural = _("central outgoing messages")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_central_pending",
                condition=models.Q(state="pending"),
            )
        ]
