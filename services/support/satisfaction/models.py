"""A requester's rating of how their resolved ticket was handled (home: the agency's schema,
beside the ticket). One per ticket: a second rating replaces the first (decision:
docs/decisions/2026-12-07-satisfaction.md)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Score(models.IntegerChoices):
    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


class RatingChannel(models.TextChoices):
    WEB = "web", _("Ticket page")
    EMAIL = "email", _("Link in the e-mail")


class Rating(models.Model):
    ticket = models.OneToOneField(
        "support.Ticket", on_delete=models.CASCADE, related_name="rating", verbose_name=_("ticket")
    )
    score = models.PositiveSmallIntegerField(
        _("score"),
        choices=Score.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    channel = models.CharField(_("channel"), max_length=8, choices=RatingChannel.choices)
    # The agent the ticket was assigned to when rated (an identity in public; may be none).
    agent_id = models.BigIntegerField(_("agent (identity)"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            )
        ]
        indexes = [models.Index(fields=["rated_at"], name="rating_rated_at")]

    def __str__(self) -> str:
        return f"#{self.ticket_id}: {self.score}"
