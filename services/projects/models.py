"""Joint projects (shared): purpose, participating agencies and their agreed shares, budget,
state and milestones. Home: public (no personal data). A project's costs are split by its
shares (services/costs/)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProjectState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ShareBasis(models.TextChoices):
    """How the participants agreed their shares: any non-negative weights, or percentages that
    sum to exactly 100. Either way the split is weight / sum of weights."""

    WEIGHT = "weight", _("Weights")
    PERCENT = "percent", _("Percentages")


class Project(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"), blank=True)
    budget_ore = models.BigIntegerField(_("budget (öre)"), validators=[MinValueValidator(0)])
    state = models.CharField(
        _("state"), max_length=12, choices=ProjectState.choices, default=ProjectState.PROPOSED
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    share_basis = models.CharField(
        _("shares agreed as"), max_length=8, choices=ShareBasis.choices, default=ShareBasis.WEIGHT
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_ore__gte=0), name="project_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="project_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectShare(models.Model):
    """An agency's agreed share of a project: a weight (percentages are weights summing to
    100). The split uses weight / sum of weights, so 30/70 and 3/7 are the same agreement."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(
        _("weight"), max_digits=12, decimal_places=4, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("project share")
        verbose_name_plural = _("project shares")
        ordering = ["project_id", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "agency"], name="project_share_once"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="share_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.agency_id}: {self.weight}"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("name"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.name
