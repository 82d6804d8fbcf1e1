"""Device lifecycle of one agency: replacement proposals for devices whose warranty or planned
replacement is near. Home: the agency's schema (a device's holder is personal data)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProposalReason(models.TextChoices):
    WARRANTY = "warranty", _("Warranty ends")
    PLANNED_REPLACEMENT = "planned_replacement", _("Planned replacement")


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ORDERED = "ordered", _("Ordered")
    DISMISSED = "dismissed", _("Dismissed")


class ReplacementProposal(models.Model):
    device = models.ForeignKey(
        "devices.Device",
        on_delete=models.CASCADE,
        related_name="replacement_proposals",
        verbose_name=_("device"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ProposalReason.choices)
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=10, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    # DO_NOTHING into public: see docs/decisions/2026-11-22-cross-schema-references.md
    offering = models.ForeignKey(
        "catalogue.Offering",
        on_delete=models.DO_NOTHING,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("proposed offering"),
    )
    # why no offering is proposed (none of the device's kind that the agency may order)
    offering_note = models.CharField(_("about the offering"), max_length=300, blank=True)
    order = models.ForeignKey(
        "ordering.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacement_proposals",
        verbose_name=_("order"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by_id = models.BigIntegerField(_("decided by (identity)"), null=True, blank=True)
    dismissed_reason = models.TextField(_("reason for dismissal"), blank=True)

    class Meta:
        verbose_name = _("replacement proposal")
        verbose_name_plural = _("replacement proposals")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=models.Q(state="proposed"),
                name="one_open_proposal_per_device",
            ),
            # a dismissed or ordered proposal is not proposed again for the same date
            models.UniqueConstraint(
                fields=["device", "reason", "due_on"], name="one_proposal_per_device_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device_id} {self.reason} {self.due_on:%Y-%m-%d} {self.state}"
