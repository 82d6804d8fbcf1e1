"""Finance's pages of a period's statements (central host): the statements with their totals,
the disputes agencies raised on lines, and their resolution."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import submit
from portal.paging import paginate
from services.costs import actions
from services.costs.models import (
    Dispute,
    DisputeState,
    PeriodState,
    Statement,
)
from services.costs.portal.access import require_reader
from services.costs.portal.central import period_or_404
from services.costs.portal.forms import ResolveForm, to_ore
from services.costs.selectors import statement_totals
from tenants.models import User


@login_required
def statement_list(request: HttpRequest, period_id: int) -> HttpResponse:
    require_reader(request)
    found = period_or_404(period_id)
    page = paginate(
        request,
        Statement.objects.filter(period=found)
        .select_related("agency", "period")
        .order_by("agency__name"),
    )
    rows = list(page.object_list)
    totals = statement_totals(found, [s.agency_id for s in rows])
    return render(
        request,
        "costs/statements.html",
        {
            "period": found,
            "page": page,
            "rows": [{"statement": s, "total": totals.get(s.agency_id, 0)} for s in rows],
            "formats": ("pdf", "csv", "xlsx", "focus", "sie"),
        },
    )


@login_required
def disputes(request: HttpRequest, period_id: int) -> HttpResponse:
    require_reader(request)
    found = period_or_404(period_id)
    state = request.GET.get("state", "")
    qs = (
        Dispute.objects.filter(period=found)
        .select_related("line__pool", "agency")
        .order_by("-raised_at", "-id")
    )
    if state in DisputeState.values:
        qs = qs.filter(state=state)
    else:
        state = ""
    page = paginate(request, qs)
    return render(
        request,
        "costs/disputes.html",
        {
            "period": found,
            "page": page,
            "state": state,
            "states": DisputeState.choices,
            "query": f"state={state}" if state else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispute(request: HttpRequest, dispute_id: int) -> HttpResponse:
    may_write = require_reader(request)
    found = (
        Dispute.objects.select_related(
            "period", "agency", "line__pool", "line__key_version__key", "line__service"
        )
        .filter(pk=dispute_id)
        .first()
    )
    if found is None:
        raise Http404(_("No such dispute."))
    form = ResolveForm()
    status = 200
    if request.method == "POST":
        form = ResolveForm(request.POST)
        done = submit(
            form,
            lambda d: actions.resolve_dispute(
                cast(User, request.user),
                found.pk,
                d["resolution"],
                d["reason"],
                to_ore(d["amount"]),
            ),
            {"amountOre": "amount", "dispute": None},
        )
        if done is not None:
            messages.success(request, _("The dispute is resolved."))
            return redirect("costs:disputes", period_id=found.period_id)
        status = 400
    return render(
        request,
        "costs/dispute.html",
        {
            "dispute": found,
            "line": found.line,
            "form": form,
            "may_resolve": may_write
            and found.state == DisputeState.OPEN
            and found.period.state == PeriodState.PRELIMINARY,
        },
        status=status,
    )
