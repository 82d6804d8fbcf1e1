"""Write paths of ordering: place, approve, reject, override the budget, change, cancel.

Every action takes the agency explicitly and runs in its schema; each state change writes an
OrderEvent (the audit trail) and the order's row in the cross-agency index in the same
transaction. Fulfilment is in fulfilment.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.crossindex.actions import upsert as index_upsert
from services.crossindex.models import IndexKind
from services.ordering import licence_draws, policies, quotes
from services.ordering.errors import OrderErrorCode as Code
from services.ordering.models import (
    OPEN_STATES,
    Order,
    OrderEvent,
    OrderingPolicy,
    OrderKind,
    OrderLine,
    OrderState,
    Subscription,
    SubscriptionState,
)
from services.ordering.money import sek
from services.validation import clean_text, field_error
from tenants.models import Agency, User
from tenants.roles import Role
from tenants.viewer import Viewer


def require_agency_admin(actor: User, agency: Agency) -> None:
    if not policies.orders_for_agency(Viewer.of(actor, agency)):
        raise PermissionDenied(_("Only an admin of this agency may do this."))


def require_central(actor: User, *roles: Role | str) -> None:
    if not policies.acts_centrally(Viewer.of(actor), *roles):
        raise PermissionDenied(_("This needs a central IT role."))


def record(
    order: Order | None,
    actor: User | None,
    action: str,
    from_state: str = "",
    reason: str = "",
    role: str = "",
    subscription: Subscription | None = None,
) -> None:
    OrderEvent.objects.create(
        order=order,
        subscription=subscription,
        actor_id=getattr(actor, "pk", None),
        actor_role=role,
        action=action,
        from_state=from_state,
        to_state=order.state if order else (subscription.state if subscription else ""),
        reason=reason,
    )


def index(agency: Agency, order: Order) -> None:
    index_upsert(
        IndexKind.ORDER,
        order.pk,
        agency=agency,
        state=order.state,
        amount_ore=order.year_effect_ore,
        due_at=dt.datetime.combine(order.deliver_by, dt.time(17), dt.UTC),
    )


def index_subscription(agency: Agency, sub: Subscription, service_id: int) -> None:
    """Who subscribes to what, readable from public: major incidents notify every subscriber of
    a service, and the monthly split reads the fees (ids, states and amounts only)."""
    index_upsert(
        IndexKind.SUBSCRIPTION,
        sub.pk,
        agency=agency,
        state=sub.state,
        service_id=service_id,
        amount_ore=sub.monthly_ore,
    )


def lock_order(order_id: int, *states: str) -> Order:
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise ValidationError({"order": ValidationError(_("No such order."), code=Code.NOT_FOUND)})
    if states and order.state not in states:
        raise ValidationError(
            {
                "order": ValidationError(
                    _("The order is %(state)s.") % {"state": order.get_state_display().lower()},
                    code=Code.INVALID_STATE,
                )
            }
        )
    return order


def over_budget_errors(q: quotes.Quote) -> list[ValidationError]:
    """One error per calendar year whose budget the order's commitment exceeds, in kronor."""
    return [
        ValidationError(
            _(
                "The order takes %(effect)s from the %(year)s budget, and only %(left)s of it is "
                "left. Ask finance for an override."
            )
            % {"effect": sek(y.effect_ore), "year": y.year, "left": sek(y.left_before_ore)},
            code=Code.BUDGET_EXCEEDED,
        )
        for y in q.over_budget_years
    ]


def place_order(
    agency: Agency,
    actor: User,
    requests: list[quotes.LineRequest],
    *,
    note: str = "",
    kind: str = OrderKind.NEW,
    subscription: Subscription | None = None,
    request_budget_override: bool = False,
    today: dt.date | None = None,
) -> Order:
    """Check, price and record an order, then route it: budget override, approval or
    fulfilment. The policy row is locked so concurrent orders meet the budget one by one."""
    require_agency_admin(actor, agency)
    with tenant_context(agency), transaction.atomic():
        OrderingPolicy.objects.get_or_create(pk=1)
        OrderingPolicy.objects.select_for_update().get(pk=1)
        q = quotes.quote(agency, requests, kind=kind, today=today)
        quotes.relation_errors(q)
        if q.over_budget and not request_budget_override:
            raise ValidationError({"budget": over_budget_errors(q)})
        if q.over_budget:
            state = OrderState.AWAITING_BUDGET_OVERRIDE
        elif q.needs_approval:
            state = OrderState.AWAITING_APPROVAL
        else:
            state = OrderState.AWAITING_FULFILMENT
        order = Order.objects.create(
            kind=kind,
            state=state,
            placed_by_id=actor.pk,
            note=note or "",
            monthly_ore=q.monthly_ore,
            one_off_ore=q.one_off_ore,
            year_effect_ore=q.year_effect_ore,
            commitment_ore=q.commitment_ore,
            budget_effects={str(y.year): y.effect_ore for y in q.years},
            budget_year=q.budget_year,
            deliver_by=q.delivery_on,
            needs_approval=q.needs_approval,
            subscription=subscription,
        )
        drawn = licence_draws.draw_for_lines(agency, q, kind, subscription)
        OrderLine.objects.bulk_create(
            [
                OrderLine(
                    order=order,
                    position=line.position,
                    offering=line.offering,
                    price=line.price,
                    quantity=line.quantity,
                    unit_monthly_ore=line.unit_monthly_ore,
                    unit_one_off_ore=line.unit_one_off_ore,
                    subscription=subscription,
                    seats_drawn=drawn.get(line.position, 0),
                )
                for line in q.lines
            ]
        )
        record(order, actor, "placed", role=Role.AGENCY_ADMIN, reason=note or "")
        index(agency, order)
    return order


def approve_order(agency: Agency, actor: User, order_id: int) -> Order:
    """The second agency admin's approval. The placer cannot approve their own order."""
    require_agency_admin(actor, agency)
    with tenant_context(agency), transaction.atomic():
        order = lock_order(order_id, OrderState.AWAITING_APPROVAL)
        if order.placed_by_id == actor.pk:
            raise ValidationError(
                {
                    "order": ValidationError(
                        _("A second admin must approve: you placed this order."),
                        code=Code.SAME_APPROVER,
                    )
                }
            )
        before, order.state, order.approved_by_id = (
            order.state,
            OrderState.AWAITING_FULFILMENT,
            actor.pk,
        )
        order.save(update_fields=["state", "approved_by_id"])
        record(order, actor, "approved", before, role=Role.AGENCY_ADMIN)
        index(agency, order)
    return order


def override_budget(agency: Agency, actor: User, order_id: int, reason: str) -> Order:
    """Finance lets an order past the budget, with a reason."""
    if not policies.overrides_budgets(Viewer.of(actor)):
        raise PermissionDenied(_("This needs a central IT role."))
    reason = required_reason(reason)
    with tenant_context(agency), transaction.atomic():
        order = lock_order(order_id, OrderState.AWAITING_BUDGET_OVERRIDE)
        before = order.state
        order.state = (
            OrderState.AWAITING_APPROVAL if order.needs_approval else OrderState.AWAITING_FULFILMENT
        )
        order.budget_override_by_id, order.budget_override_reason = actor.pk, reason
        order.save(update_fields=["state", "budget_override_by_id", "budget_override_reason"])
        record(order, actor, "budget_overridden", before, reason, role=Role.FINANCE)
        index(agency, order)
    return order


# Who may reject at each gate: agency admins at approval, finance at the budget override,
# central IT while the order awaits fulfilment.
REJECT_GATES: dict[str, tuple[Role, ...]] = {
    OrderState.AWAITING_APPROVAL: (Role.AGENCY_ADMIN,),
    OrderState.AWAITING_BUDGET_OVERRIDE: (Role.FINANCE,),
    OrderState.AWAITING_FULFILMENT: (Role.PLATFORM_ADMIN, Role.SERVICE_DESK_AGENT),
    OrderState.PARTIALLY_FULFILLED: (Role.PLATFORM_ADMIN, Role.SERVICE_DESK_AGENT),
}


def reject_order(agency: Agency, actor: User, order_id: int, reason: str) -> Order:
    """Reject at the order's current gate, with a reason. Pending lines are rejected; an
    order with fulfilled lines ends fulfilled."""
    reason = required_reason(reason)
    viewer = Viewer.of(actor, agency)
    roles = {state: policies.rejecting_role(viewer, gate) for state, gate in REJECT_GATES.items()}
    states = {state: role for state, role in roles.items() if role}
    if not states:
        raise PermissionDenied(_("You may not reject orders of this agency."))
    with tenant_context(agency), transaction.atomic():
        order = lock_order(order_id, *states)
        before = order.state
        for line in order.lines.filter(state="pending"):
            licence_draws.give_back(agency, line)
        order.lines.filter(state="pending").update(state="rejected", decided_reason=reason)
        has_fulfilled = order.lines.filter(state="fulfilled").exists()
        order.state = OrderState.FULFILLED if has_fulfilled else OrderState.REJECTED
        order.decided_reason = reason
        order.save(update_fields=["state", "decided_reason"])
        record(order, actor, "rejected", before, reason, role=states[before])
        index(agency, order)
    return order


def change_subscription(
    agency: Agency, actor: User, subscription_id: int, quantity: int, **kw: Any
) -> Order:
    require_agency_admin(actor, agency)
    sub = _active_subscription(agency, subscription_id)
    request = quotes.LineRequest(sub.offering_id, quantity, sub)
    with _single_line_errors():
        return place_order(agency, actor, [request], kind=OrderKind.CHANGE, subscription=sub, **kw)


def cancel_subscription(agency: Agency, actor: User, subscription_id: int, **kw: Any) -> Order:
    require_agency_admin(actor, agency)
    sub = _active_subscription(agency, subscription_id)
    request = quotes.LineRequest(sub.offering_id, sub.quantity, sub)
    with _single_line_errors():
        return place_order(agency, actor, [request], kind=OrderKind.CANCEL, subscription=sub, **kw)


@contextmanager
def _single_line_errors() -> Iterator[None]:
    """A change or cancellation has one line: name its input fields, not `lines.0.*`."""
    try:
        yield
    except ValidationError as exc:
        renamed = {"lines.0.quantity": "quantity", "lines.0.offering": "subscription"}
        raise ValidationError({renamed.get(k, k): v for k, v in exc.error_dict.items()}) from exc


def _active_subscription(agency: Agency, subscription_id: int) -> Subscription:
    with tenant_context(agency):
        sub = Subscription.objects.filter(
            pk=subscription_id, state=SubscriptionState.ACTIVE
        ).first()
        if sub is None:
            raise ValidationError(
                {
                    "subscription": ValidationError(
                        _("No such active subscription."), code=Code.NOT_FOUND
                    )
                }
            )
        if Order.objects.filter(subscription=sub, state__in=OPEN_STATES).exists():
            raise ValidationError(
                {
                    "subscription": ValidationError(
                        _("An order for this subscription is already open."),
                        code=Code.INVALID_STATE,
                    )
                }
            )
        return sub


def required_reason(reason: str) -> str:
    """A decision's reason (rejecting, overriding the budget, dismissing a proposal): stripped,
    never empty."""
    reason = clean_text("reason", reason)
    if not reason:
        raise field_error("reason", _("Give a reason."), Code.REQUIRED)
    return reason
