"""Finance's budget overrides: the orders of every agency waiting for one (read from the
cross-agency index), and an order's page, loaded in its agency's schema, where finance lets it
past the budget or rejects it, with a reason."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import submit
from portal.paging import paginate
from services.crossindex.models import IndexEntry, IndexKind
from services.ordering import actions
from services.ordering.forms import ReasonForm
from services.ordering.models import OrderState
from services.ordering.portal.fulfilment import load_order, order_agencies
from services.ordering.portal.guards import require_finance
from tenants.models import User


def waiting_for_override() -> QuerySet[IndexEntry]:
    """Every agency's orders waiting for finance, oldest expected delivery first."""
    return (
        IndexEntry.objects.filter(kind=IndexKind.ORDER, state=OrderState.AWAITING_BUDGET_OVERRIDE)
        .select_related("agency")
        .order_by("due_at", "id")
    )


@login_required
def override_queue(request: HttpRequest) -> HttpResponse:
    require_finance(request)
    page = paginate(request, waiting_for_override())
    return render(request, "ordering/overrides.html", {"page": page, "query": ""})


@login_required
@require_http_methods(["GET", "POST"])
def override_order(request: HttpRequest, agency_slug: str, pk: int) -> HttpResponse:
    require_finance(request)
    agency = order_agencies().filter(slug=agency_slug).first()
    if agency is None:
        raise Http404(_("No such agency."))
    order_row, lines, events = load_order(agency, pk)
    override_form, reject_form = ReasonForm(prefix="override"), ReasonForm(prefix="reject")
    status = 200
    if request.method == "POST":
        actor = cast(User, request.user)
        if request.POST.get("action") == "override":
            override_form = ReasonForm(request.POST, prefix="override")
            done = submit(
                override_form,
                lambda data: actions.override_budget(agency, actor, pk, data["reason"]),
            )
            message = _("The order may go past the budget.")
        else:
            reject_form = ReasonForm(request.POST, prefix="reject")
            done = submit(
                reject_form, lambda data: actions.reject_order(agency, actor, pk, data["reason"])
            )
            message = _("The order is rejected.")
        if done is not None:
            messages.success(request, message)
            return redirect("ordering:overrides")
        status = 400
    return render(
        request,
        "ordering/override_order.html",
        {
            "agency": agency,
            "order": order_row,
            "years": sorted((int(y), a) for y, a in order_row.budget_effects.items()),
            "lines": lines,
            "events": events,
            "override_form": override_form,
            "reject_form": reject_form,
            "may_decide": order_row.state == OrderState.AWAITING_BUDGET_OVERRIDE,
        },
        status=status,
    )
