"""Ordering's items of the to-do list (services/agencies/todo.py): orders waiting for my
approval (an agency's admins, on its host: orders placed by another admin) and budget overrides
(finance, on the central host). One count query each."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from services.crossindex.models import IndexEntry, IndexKind
from services.ordering import policies
from services.ordering.models import Order, OrderState
from tenants.viewer import Viewer

# (key, label, count, url): an item of the to-do list (services/agencies/todo.py)
Item = tuple[str, str, int, str]


def orders_to_approve(viewer: Viewer) -> int | None:
    """Orders of the host agency awaiting a second admin, not placed by the viewer (who may not
    approve their own); None when the viewer is not its admin."""
    user_id = viewer.user_id
    if policies.ordering_agency(viewer) is None or user_id is None:
        return None
    qs = policies.orders(viewer, Order.objects.filter(state=OrderState.AWAITING_APPROVAL))
    return qs.exclude(placed_by_id=user_id).count()


def budget_overrides(viewer: Viewer) -> int | None:
    """Every agency's orders waiting for finance; None when the viewer is not finance on the
    central host."""
    if not (viewer.on_central_host and policies.overrides_budgets(viewer)):
        return None
    return IndexEntry.objects.filter(
        kind=IndexKind.ORDER, state=OrderState.AWAITING_BUDGET_OVERRIDE
    ).count()


def todo_items(viewer: Viewer) -> list[Item]:
    out: list[Item] = []
    approve = orders_to_approve(viewer)
    if approve is not None:
        url = reverse("ordering:orders") + "?" + urlencode({"state": "awaiting_approval"})
        out.append(("orders_to_approve", _("Orders waiting for my approval"), approve, url))
    overrides = budget_overrides(viewer)
    if overrides is not None:
        url = reverse("ordering:overrides")
        out.append(("budget_overrides", _("Budget overrides"), overrides, url))
    return out
