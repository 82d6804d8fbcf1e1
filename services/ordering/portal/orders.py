"""The agency's orders (list, detail with its audit trail, approve or reject) and its
subscriptions (list, change of quantity, cancellation: both are orders)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import apply_errors, submit
from portal.paging import paginate
from services.ordering import actions
from services.ordering.forms import ChangeQuantityForm, ReasonForm
from services.ordering.models import (
    OPEN_STATES,
    Order,
    OrderLine,
    OrderState,
    Subscription,
    SubscriptionState,
)
from services.ordering.portal.event_labels import event_rows, people_names
from services.ordering.portal.guards import require_admin
from tenants.models import User


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    state = request.GET.get("state", "")
    qs = Order.objects.prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("offering__service"))
    ).order_by("-placed_at", "-id")
    if state in OrderState.values:
        qs = qs.filter(state=state)
    else:
        state = ""
    page = paginate(request, qs)
    orders = list(page.object_list)
    names = people_names(o.placed_by_id for o in orders)
    return render(
        request,
        "ordering/orders.html",
        {
            "page": page,
            "rows": [{"order": o, "placed_by": names.get(o.placed_by_id, "")} for o in orders],
            "state": state,
            "states": OrderState.choices,
            "query": f"state={state}" if state else "",
            "awaiting_approval": Order.objects.filter(state=OrderState.AWAITING_APPROVAL).count(),
        },
    )


def _order_or_404(pk: int) -> Order:
    order = (
        Order.objects.select_related("subscription__offering")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("offering__service")),
            "events",
        )
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404(_("No such order."))
    return order


@login_required
@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = require_admin(request)
    reject_form = ReasonForm(prefix="reject")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "approve":
            try:
                actions.approve_order(agency, cast(User, request.user), pk)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The order is approved."))
            return redirect("ordering:order", pk=pk)
        if action == "reject":
            reject_form = ReasonForm(request.POST, prefix="reject")
            done = submit(
                reject_form,
                lambda data: actions.reject_order(
                    agency, cast(User, request.user), pk, data["reason"]
                ),
            )
            if done is not None:
                messages.success(request, _("The order is rejected."))
                return redirect("ordering:order", pk=pk)
            status = 400
    order = _order_or_404(pk)
    events = list(order.events.all())
    names = people_names([order.placed_by_id, order.approved_by_id, *(e.actor_id for e in events)])
    may_decide = order.state == OrderState.AWAITING_APPROVAL
    return render(
        request,
        "ordering/order.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "events": event_rows(events, names),
            "placed_by": names.get(order.placed_by_id, ""),
            "approved_by": names.get(order.approved_by_id, ""),
            "may_decide": may_decide,
            "own_order": order.placed_by_id == request.user.pk,
            "reject_form": reject_form,
        },
        status=status,
    )


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    show = request.GET.get("show", "active")
    qs = Subscription.objects.select_related("offering__service").order_by("starts_on", "id")
    if show == "active":
        qs = qs.exclude(state=SubscriptionState.ENDED)
    else:
        show = "all"
    page = paginate(request, qs)
    return render(
        request,
        "ordering/subscriptions.html",
        {"page": page, "show": show, "query": f"show={show}"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def subscription_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = require_admin(request)
    sub = Subscription.objects.select_related("offering__service").filter(pk=pk).first()
    if sub is None:
        raise Http404(_("No such subscription."))
    change_form = ChangeQuantityForm(prefix="change", initial={"quantity": sub.quantity})
    cancel_errors: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "change":
            change_form = ChangeQuantityForm(request.POST, prefix="change")
            order = submit(
                change_form,
                lambda data: actions.change_subscription(
                    agency,
                    cast(User, request.user),
                    pk,
                    data["quantity"],
                    request_budget_override=data["request_budget_override"],
                ),
                {"budget": "request_budget_override"},
            )
        elif action == "cancel":
            try:
                order = actions.cancel_subscription(agency, cast(User, request.user), pk)
            except ValidationError as exc:
                order, cancel_errors = None, exc.messages
        else:
            order = None
            apply_errors(change_form, ValidationError(_("Choose what to do.")))
        if order is not None:
            messages.success(request, _("Order %(id)s is placed.") % {"id": order.pk})
            return redirect("ordering:order", pk=order.pk)
        status = 400
    open_orders = list(
        Order.objects.filter(subscription=sub, state__in=OPEN_STATES).order_by("-placed_at")
    )
    return render(
        request,
        "ordering/subscription.html",
        {
            "sub": sub,
            "change_form": change_form,
            "cancel_errors": cancel_errors,
            "open_orders": open_orders,
            "is_active": sub.state == SubscriptionState.ACTIVE,
        },
        status=status,
    )
