"""Central IT turns an order into subscriptions, line by line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.ordering import licence_draws
from services.ordering.actions import (
    index,
    index_subscription,
    lock_order,
    record,
    require_central,
)
from services.ordering.errors import OrderErrorCode as Code
from services.ordering.models import (
    LineState,
    Order,
    OrderKind,
    OrderLine,
    OrderState,
    Subscription,
    SubscriptionState,
)
from services.validation import clean_text, require_sensible_date
from tenants.models import Agency, User
from tenants.roles import SERVICE_DESK


@dataclass(frozen=True)
class LineDecision:
    line_id: int
    fulfil: bool = True
    reason: str = ""


def fulfil_order(
    agency: Agency,
    actor: User,
    order_id: int,
    decisions: list[LineDecision] | None = None,
    *,
    starts_on: dt.date | None = None,
) -> Order:
    """Fulfil (or reject, with a reason) the pending lines named; all pending lines when none
    are named. The order is fulfilled once no line is pending, partially fulfilled before."""
    require_central(actor, *SERVICE_DESK)
    require_sensible_date("starts_on", starts_on, codes=Code)
    starts_on = starts_on or timezone.localdate()
    with tenant_context(agency), transaction.atomic():
        order = lock_order(order_id, OrderState.AWAITING_FULFILMENT, OrderState.PARTIALLY_FULFILLED)
        pending = {
            line.pk: line
            for line in order.lines.select_related("offering").filter(state=LineState.PENDING)
        }
        decisions = decisions or [LineDecision(pk) for pk in pending]
        errors = {}
        for i, d in enumerate(decisions):
            if d.line_id not in pending:
                errors[f"lines.{i}.line"] = [
                    ValidationError(
                        _("No pending line with this id in the order."), code=Code.NOT_FOUND
                    )
                ]
            elif not d.fulfil and not clean_text("reason", d.reason):
                errors[f"lines.{i}.reason"] = [
                    ValidationError(_("Give a reason for rejecting the line."), code=Code.REQUIRED)
                ]
        if errors:
            raise ValidationError(errors)
        before = order.state
        for d in decisions:
            line = pending.pop(d.line_id)
            if d.fulfil:
                line.subscription = _apply(agency, order, line, starts_on)
                index_subscription(agency, line.subscription, line.offering.service_id)
                line.state = LineState.FULFILLED
            else:
                licence_draws.give_back(agency, line)
                line.state, line.decided_reason = LineState.REJECTED, clean_text("reason", d.reason)
            line.save(update_fields=["state", "decided_reason", "subscription"])
            record(
                order,
                actor,
                "line_fulfilled" if d.fulfil else "line_rejected",
                before,
                d.reason,
                role="central",
            )
        if pending:
            order.state = OrderState.PARTIALLY_FULFILLED
        elif order.lines.filter(state=LineState.FULFILLED).exists():
            order.state = OrderState.FULFILLED
        else:
            order.state = OrderState.REJECTED
        order.save(update_fields=["state"])
        record(order, actor, "fulfilment", before, role="central")
        index(agency, order)
    return order


def _apply(agency: Agency, order: Order, line: OrderLine, starts_on: dt.date) -> Subscription:
    if order.kind == OrderKind.NEW:
        return Subscription.objects.create(
            offering=line.offering,
            quantity=line.quantity,
            unit_monthly_ore=line.unit_monthly_ore,
            starts_on=starts_on,
        )
    sub = Subscription.objects.select_for_update().get(pk=cast(int, order.subscription_id))
    licence_draws.settle_fulfilment(agency, order, line, sub)
    before = sub.state
    if order.kind == OrderKind.CHANGE:
        sub.quantity, sub.unit_monthly_ore = line.quantity, line.unit_monthly_ore
        sub.save(update_fields=["quantity", "unit_monthly_ore"])
        action = "changed"
    else:
        sub.state = SubscriptionState.ENDING
        sub.ends_on = starts_on + dt.timedelta(days=line.offering.notice_days)
        sub.save(update_fields=["state", "ends_on"])
        action = "cancelled"
    record(None, None, action, before, subscription=sub, role="central")
    return sub
