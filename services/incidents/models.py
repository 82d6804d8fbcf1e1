"""Major incidents (shared): tickets about one service from several agencies within a short
window, linked by (agency, ticket id). Home: public (ids, states, times and counts only; the
tickets, their text and the resolution messages stay in the agencies' schemas)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IncidentState(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class MajorIncident(models.Model):
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=IncidentState.choices, default=IncidentState.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    # While open, every ticket about the service created since this moment is linked.
    window_starts_at = models.DateTimeField(_("linking tickets created since"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agencies_reported = models.PositiveIntegerField(_("agencies that reported it"), default=0)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("Service, counts and times: never names.")
    )

    class Meta:
        verbose_name = _("major incident")
        verbose_name_plural = _("major incidents")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # two correlation runs at once cannot open two incidents for one service
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(state="open"),
                name="one_open_incident_per_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.state} {self.opened_at:%Y-%m-%d %H:%M}"


class IncidentTicket(models.Model):
    """A ticket of an agency linked to an incident, named by (agency, local id): a shared
    table never holds a foreign key into an agency schema. A ticket joins one incident."""

    incident = models.ForeignKey(MajorIncident, on_delete=models.CASCADE, related_name="tickets")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.CASCADE, related_name="+")
    ticket_id = models.BigIntegerField(_("ticket (local id)"))
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("linked ticket")
        verbose_name_plural = _("linked tickets")
        ordering = ["agency_id", "ticket_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "ticket_id"], name="incident_ticket_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.agency_id}.{self.ticket_id}"


class IncidentNotice(models.Model):
    """An agency whose admins were told about the incident (once per agency)."""

    incident = models.ForeignKey(MajorIncident, on_delete=models.CASCADE, related_name="notices")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.CASCADE, related_name="+")
    reported = models.BooleanField(_("the agency reported it"), default=False)
    notified_at = models.DateTimeField(_("notified at"), default=timezone.now)

    class Meta:
        verbose_name = _("incident notice")
        verbose_name_plural = _("incident notices")
        constraints = [
            models.UniqueConstraint(fields=["incident", "agency"], name="incident_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.agency_id}"
