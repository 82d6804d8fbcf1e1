"""Tickets of one agency, their messages, attachments and agreement clocks.
Home: the agency's schema (requesters, message text and files are personal data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from tenants.models import Agency


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    CHAT = "chat", _("Chat")
    PROACTIVE = "proactive", _("Proactive")


class Kind(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    REQUEST = "request", _("Request")
    QUESTION = "question", _("Question")


class TicketState(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING_REQUESTER = "waiting_requester", _("Waiting on requester")
    WAITING_SUPPLIER = "waiting_supplier", _("Waiting on supplier")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_TICKET_STATES = (
    TicketState.NEW,
    TicketState.OPEN,
    TicketState.WAITING_REQUESTER,
    TicketState.WAITING_SUPPLIER,
)

# Priority from impact (1 high .. 3 low) and urgency (1 high .. 3 low): 1 is critical.
PRIORITY_MATRIX = {
    (1, 1): 1,
    (1, 2): 2,
    (1, 3): 3,
    (2, 1): 2,
    (2, 2): 3,
    (2, 3): 4,
    (3, 1): 3,
    (3, 2): 4,
    (3, 3): 4,
}


class Ticket(models.Model):
    # The agency whose schema the row was read from, set by loaders that read it for another
    # host (services/support/selectors.py); the GraphQL types read it. Not a field.
    _samnav_agency: Agency

    requester = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="tickets")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INCIDENT)
    # DO_NOTHING into public: see docs/decisions/2026-11-22-cross-schema-references.md
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.DO_NOTHING, related_name="+", null=True, blank=True
    )
    offering = models.ForeignKey(
        "catalogue.Offering", on_delete=models.DO_NOTHING, related_name="+", null=True, blank=True
    )
    agreement = models.ForeignKey(
        "catalogue.Agreement", on_delete=models.DO_NOTHING, related_name="+", null=True, blank=True
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    impact = models.PositiveSmallIntegerField(_("impact"), default=2)
    urgency = models.PositiveSmallIntegerField(_("urgency"), default=2)
    priority = models.PositiveSmallIntegerField(_("priority"), default=3)
    state = models.CharField(
        _("state"), max_length=20, choices=TicketState.choices, default=TicketState.NEW
    )
    assignee_id = models.BigIntegerField(_("assignee (identity)"), null=True, blank=True)
    group = models.CharField(_("group"), max_length=60, default="servicedesk")
    order = models.ForeignKey(
        "ordering.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    device = models.ForeignKey(
        "devices.Device",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name=_("device"),
    )
    subscription = models.ForeignKey(
        "ordering.Subscription",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    is_proactive = models.BooleanField(
        _("proactive"),
        default=False,
        help_text=_(
            "Opened by central IT before anyone asked: not counted in agreement statistics."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # When the requester's chat page last asked for new lines: an agent's chat line is not
    # also mailed to a requester who is still in the chat (channels/chat.py).
    chat_seen_at = models.DateTimeField(null=True, blank=True)
    # A duplicate merged into another ticket: closed, its conversation kept, pointing on.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        verbose_name=_("merged into"),
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"


class TicketMessage(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author_id = models.BigIntegerField(_("author (identity)"), null=True, blank=True)
    author_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    body = models.TextField(_("text"))
    is_internal = models.BooleanField(_("internal note"), default=False)
    email_message_id = models.CharField(max_length=250, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.created_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A file kept with a message. Stored in the database (bytea) with its checksum: never
    written where a web server could execute it, and served only as a download."""

    message = models.ForeignKey(TicketMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class ClockKind(models.TextChoices):
    RESPONSE = "response", _("First response")
    RESOLUTION = "resolution", _("Resolution")


class ClockEventKind(models.TextChoices):
    STARTED = "started", _("Started")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    TARGET_CHANGED = "target_changed", _("Target changed")
    # xgettext:no-python-format
    WARNED = "warned", _("Warning (75 %)")
    BREACHED = "breached", _("Breached")
    STOPPED = "stopped", _("Stopped")


class ClockEvent(models.Model):
    """Every start, pause, resume, target change, warning and breach of a ticket's clocks,
    so a clock can be replayed and explained."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="clock_events")
    clock = models.CharField(max_length=12, choices=ClockKind.choices)
    kind = models.CharField(max_length=16, choices=ClockEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    target_minutes = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("clock event")
        verbose_name_plural = _("clock events")
        ordering = ["at", "id"]
        constraints = [
            # warnings and breaches fire once per clock
            models.UniqueConstraint(
                fields=["ticket", "clock", "kind"],
                condition=models.Q(kind__in=["warned", "breached"]),
                name="escalation_once",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.clock} {self.kind}"


class ReviewAction(models.Model):
    """What central IT does about a breached OLA ticket: what happened, the corrective action,
    who owns it (a role or function) and by when. OLA breaches lead to reviews, not money."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="review_actions")
    # DO_NOTHING into public: see docs/decisions/2026-11-22-cross-schema-references.md
    agreement = models.ForeignKey(
        "catalogue.Agreement", on_delete=models.DO_NOTHING, related_name="+"
    )
    what_happened = models.TextField(_("what happened"))
    corrective_action = models.TextField(_("corrective action"))
    owner = models.CharField(
        _("owner"), max_length=200, help_text=_("A role or function, e.g. 'Service desk lead'.")
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by_id = models.BigIntegerField(_("created by (identity)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("review action")
        verbose_name_plural = _("review actions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.owner} {self.due_on:%Y-%m-%d}"


class TicketFollower(models.Model):
    """A person of the same agency who gets the ticket's public replies: a colleague in the
    CC of the requester's mail, or one an agent added."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="followers")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "person"], name="follower_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.person_id}"


class TicketLink(models.Model):
    """Two tickets of one agency about related things, linked by an agent; one row per pair,
    read from both ends."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_out")
    other = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_in")
    created_by_id = models.BigIntegerField(_("created by (identity)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket link")
        verbose_name_plural = _("ticket links")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "other"], name="link_once"),
            models.CheckConstraint(
                condition=~models.Q(ticket=models.F("other")), name="link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} ~ #{self.other_id}"
