"""Orders, approvals and subscriptions of one agency. Home: the agency's schema.

Rows point at the shared catalogue (offerings, prices) and name identities by id. Every unit
price is copied onto the line and the subscription, so later price versions change nothing
already ordered.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrderingPolicy(models.Model):
    """The agency's ordering rules: one row per schema (pk=1). Locked by every order placed,
    so that concurrent orders are checked against the budget one after another."""

    approval_threshold_ore = models.BigIntegerField(
        _("approval threshold (öre, the order's commitment)"), default=5_000_000
    )

    class Meta:
        verbose_name = _("ordering policy")
        verbose_name_plural = _("ordering policies")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="one_policy")]

    def __str__(self) -> str:
        return str(_("ordering policy"))


class Budget(models.Model):
    year = models.PositiveIntegerField(_("year"), unique=True)
    amount_ore = models.BigIntegerField(_("annual IT budget (öre)"))
    approval_threshold_ore = models.BigIntegerField(
        _("approval threshold (öre)"),
        null=True,
        blank=True,
        help_text=_(
            "Orders placed in the year committing this much need a second admin; "
            "empty: the agency's ordering policy."
        ),
    )

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"


class BudgetChange(models.Model):
    """The history of an agency's budgets and thresholds: every change, who and when."""

    year = models.PositiveIntegerField(_("year"))
    amount_ore = models.BigIntegerField(_("annual IT budget (öre)"))
    approval_threshold_ore = models.BigIntegerField(
        _("approval threshold (öre)"), null=True, blank=True
    )
    previous_amount_ore = models.BigIntegerField(null=True, blank=True)
    previous_threshold_ore = models.BigIntegerField(null=True, blank=True)
    actor_id = models.BigIntegerField(_("changed by (identity)"), null=True, blank=True)
    at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("budget change")
        verbose_name_plural = _("budget changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.at:%Y-%m-%d}"


class OrderKind(models.TextChoices):
    NEW = "new", _("New subscription")
    CHANGE = "change", _("Change of quantity")
    CANCEL = "cancel", _("Cancellation")


class OrderState(models.TextChoices):
    AWAITING_BUDGET_OVERRIDE = "awaiting_budget_override", _("Awaiting budget override")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    AWAITING_FULFILMENT = "awaiting_fulfilment", _("Awaiting fulfilment")
    PARTIALLY_FULFILLED = "partially_fulfilled", _("Partially fulfilled")
    FULFILLED = "fulfilled", _("Fulfilled")
    REJECTED = "rejected", _("Rejected")


OPEN_STATES = (
    OrderState.AWAITING_BUDGET_OVERRIDE,
    OrderState.AWAITING_APPROVAL,
    OrderState.AWAITING_FULFILMENT,
    OrderState.PARTIALLY_FULFILLED,
)


class Order(models.Model):
    kind = models.CharField(
        _("kind"), max_length=10, choices=OrderKind.choices, default=OrderKind.NEW
    )
    state = models.CharField(_("state"), max_length=32, choices=OrderState.choices)
    placed_by_id = models.BigIntegerField(_("placed by (identity)"))
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now, db_index=True)
    note = models.TextField(_("note"), blank=True)
    monthly_ore = models.BigIntegerField(_("monthly cost change (öre)"))
    one_off_ore = models.BigIntegerField(_("one-off cost (öre)"))
    year_effect_ore = models.BigIntegerField(_("effect on this year's budget (öre)"))
    commitment_ore = models.BigIntegerField(
        _("commitment (öre)"),
        default=0,
        help_text=_("One-off costs plus twelve months of the monthly cost change."),
    )
    budget_effects = models.JSONField(
        _("effect on each year's budget (öre)"),
        default=dict,
        blank=True,
        help_text=_('The commitment split per calendar year: {"2026": öre, ...}.'),
    )
    budget_year = models.PositiveIntegerField(_("budget year"))
    deliver_by = models.DateField(_("expected delivery"))
    needs_approval = models.BooleanField(_("needs a second approval"), default=False)
    approved_by_id = models.BigIntegerField(null=True, blank=True)
    budget_override_by_id = models.BigIntegerField(null=True, blank=True)
    budget_override_reason = models.TextField(blank=True)
    decided_reason = models.TextField(_("reason for rejection"), blank=True)
    subscription = models.ForeignKey(
        "Subscription",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        help_text=_("The subscription a change or cancellation is about."),
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class LineState(models.TextChoices):
    PENDING = "pending", _("Pending")
    FULFILLED = "fulfilled", _("Fulfilled")
    REJECTED = "rejected", _("Rejected")


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    # Pointers into public use DO_NOTHING: Django's collector would look for referrers in the
    # current schema only. The database constraint in every agency schema protects the row.
    offering = models.ForeignKey(
        "catalogue.Offering", on_delete=models.DO_NOTHING, related_name="+"
    )
    price = models.ForeignKey(
        "catalogue.OfferingPrice", on_delete=models.DO_NOTHING, related_name="+"
    )
    quantity = models.IntegerField(_("quantity"))
    unit_monthly_ore = models.BigIntegerField(_("monthly price per unit at order time (öre)"))
    unit_one_off_ore = models.BigIntegerField(_("one-off price per unit at order time (öre)"))
    state = models.CharField(max_length=10, choices=LineState.choices, default=LineState.PENDING)
    seats_drawn = models.PositiveIntegerField(
        _("licence seats drawn"),
        default=0,
        help_text=_("Seats this line took from a licence pool when it was placed."),
    )
    decided_reason = models.TextField(blank=True)
    subscription = models.ForeignKey(
        "Subscription", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="line_position_once")
        ]

    def __str__(self) -> str:
        return f"#{self.order_id}.{self.position}"


class SubscriptionState(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDING = "ending", _("Ending (notice given)")
    ENDED = "ended", _("Ended")


class Subscription(models.Model):
    offering = models.ForeignKey(
        "catalogue.Offering", on_delete=models.DO_NOTHING, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_monthly_ore = models.BigIntegerField(_("monthly price per unit (öre)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    state = models.CharField(
        max_length=10, choices=SubscriptionState.choices, default=SubscriptionState.ACTIVE
    )

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.offering_id} × {self.quantity}"

    @property
    def monthly_ore(self) -> int:
        return self.quantity * self.unit_monthly_ore


class OrderEvent(models.Model):
    """The audit trail of orders and subscriptions: who, when, what and why."""

    at = models.DateTimeField(default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
