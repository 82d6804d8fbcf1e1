"""The agency's budgets and approval thresholds per year, with their history (agency admins,
on the agency's host). Writes go through services/ordering/budgets.py."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import submit
from services.ordering import budgets, policies, quotes
from services.ordering.forms import BudgetForm
from services.ordering.models import Budget, BudgetChange
from services.ordering.portal.event_labels import people_names
from services.ordering.portal.guards import require_admin
from tenants.models import User
from tenants.viewer import of_request

HISTORY_ROWS = 50


def _ore(kronor: Decimal | None) -> int | None:
    return None if kronor is None else int(kronor * 100)


@login_required
@require_http_methods(["GET", "POST"])
def budget_list(request: HttpRequest) -> HttpResponse:
    agency = require_admin(request)
    viewer = of_request(request)
    form = BudgetForm(initial={"year": timezone.localdate().year})
    status = 200
    if request.method == "POST":
        form = BudgetForm(request.POST)
        done = submit(
            form,
            lambda data: budgets.set_budget(
                agency,
                cast(User, request.user),
                data["year"],
                cast(int, _ore(data["amount"])),
                _ore(data["approval_threshold"]),
            ),
            {"amount_ore": "amount", "approval_threshold_ore": "approval_threshold"},
        )
        if done is not None:
            messages.success(request, _("The budget for %(year)s is saved.") % {"year": done.year})
            return redirect("ordering:budgets")
        status = 400
    rows = list(policies.orders(viewer, Budget.objects.order_by("-year")))
    committed = quotes.committed_by_year([b.year for b in rows])
    history = list(policies.orders(viewer, BudgetChange.objects.all())[:HISTORY_ROWS])
    names = people_names(h.actor_id for h in history)
    return render(
        request,
        "ordering/budgets.html",
        {
            "form": form,
            "rows": [
                {
                    "budget": b,
                    "committed": committed.get(b.year, 0),
                    "default": b.approval_threshold_ore is None,
                }
                for b in rows
            ],
            "standing_threshold": quotes.standing_threshold(),
            "history": [{"change": h, "by": names.get(h.actor_id, "")} for h in history],
        },
        status=status,
    )
