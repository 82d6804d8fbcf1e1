"""An agency admin's costs (agency host): the months with a chart, the trend against the
previous month and the budget, and the agency's statement of a published period, where the
admin accepts it or disputes a line. Only the host's own agency, only published periods."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.forms import submit
from portal.paging import paginate
from services.costs import actions, policies
from services.costs.models import (
    Adjustment,
    AllocationLine,
    Dispute,
    DisputeState,
    Period,
    PeriodState,
    Statement,
    StatementState,
    statement_reference,
)
from services.costs.portal import charts
from services.costs.portal.access import require_admin
from services.costs.portal.forms import DisputeForm
from services.costs.selectors import GroupBy, ReportRow, cost_report
from tenants.models import User
from tenants.viewer import of_request

TREND_MONTHS = 12


@login_required
def home(request: HttpRequest) -> HttpResponse:
    agency = require_admin(request)
    published = list(policies.published_periods().order_by("-month")[:TREND_MONTHS])
    shown = {p.month for p in published}
    rows = []
    if published:
        report = cost_report(published[0], GroupBy.AGENCY, agency=agency, months=TREND_MONTHS)
        # Only published months: a month still being prepared is finance's, not the agency's.
        rows = sorted((r for r in report if r.month in shown), key=lambda r: r.month)
    by_month = {r.month: r for r in rows}
    states = dict(
        Statement.objects.filter(agency=agency, period__in=published).values_list(
            "period_id", "state"
        )
    )
    totals = dict(
        policies.lines(of_request(request), AllocationLine.objects.all())
        .filter(period__in=published)
        .values("period_id")
        .annotate(total=Sum("amount_ore"))
        .order_by()
        .values_list("period_id", "total")
    )
    labels = dict(StatementState.choices)
    months = [
        {
            "period": p,
            "total": totals.get(p.pk, 0),
            "state": states.get(p.pk, ""),
            "state_label": labels.get(states.get(p.pk, ""), ""),
            "row": by_month.get(p.month),
            "change": _change(by_month.get(p.month), shown),
        }
        for p in published
    ]
    return render(
        request,
        "costs/agency_home.html",
        {
            "agency": agency,
            "months": months,
            "rows": rows,
            "latest": months[0] if months else None,
            "chart": charts.columns(
                [(f"{r.month:%Y-%m}", r.amount_ore) for r in rows], [r.budget_ore for r in rows]
            ),
        },
    )


def _change(row: ReportRow | None, shown: set[dt.date]) -> int | None:
    """The change against the month before, when that month is published too."""
    if row is None or row.change_ore is None:
        return None
    before = (row.month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return row.change_ore if before in shown else None


def _published(period_id: int) -> Period:
    found = policies.published_periods().filter(pk=period_id).first()
    if found is None:
        raise Http404(_("No published statement for this period."))
    return found


@login_required
def statement(request: HttpRequest, period_id: int) -> HttpResponse:
    agency = require_admin(request)
    found = _published(period_id)
    own = Statement.objects.filter(period=found, agency=agency).first()
    if own is None:
        raise Http404(_("Your agency has no statement for this period."))
    page = paginate(
        request,
        AllocationLine.objects.filter(period=found, agency=agency)
        .select_related("pool", "key_version__key", "service")
        .order_by("pool__name", "pool_id", "id"),
    )
    own_disputes = list(
        Dispute.objects.filter(period=found, agency=agency)
        .select_related("line__pool")
        .order_by("-raised_at", "-id")
    )
    open_lines = {d.line_id for d in own_disputes if d.state == DisputeState.OPEN}
    total = (
        AllocationLine.objects.filter(period=found, agency=agency).aggregate(s=Sum("amount_ore"))[
            "s"
        ]
        or 0
    )
    preliminary = found.state == PeriodState.PRELIMINARY
    accepted = own.state in (StatementState.ACCEPTED, StatementState.PARTLY_ACCEPTED)
    adjustments = list(
        Adjustment.objects.filter(period=found, agency=agency)
        .select_related("line__pool", "made_by")
        .order_by("made_at", "id")
    )
    return render(
        request,
        "costs/agency_statement.html",
        {
            "agency": agency,
            "period": found,
            "statement": own,
            "reference": statement_reference(found.month, agency.slug),
            "adjustments": adjustments,
            "page": page,
            "open_lines": open_lines,
            "disputes": own_disputes,
            "total": total,
            "may_accept": preliminary and not accepted,
            "may_dispute": preliminary and not accepted,
        },
    )


@login_required
@require_POST
def accept(request: HttpRequest, period_id: int) -> HttpResponse:
    agency = require_admin(request)
    found = _published(period_id)
    try:
        done = actions.accept_statement(cast(User, request.user), agency, found.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if done.state == StatementState.PARTLY_ACCEPTED:
            messages.success(
                request,
                _("The undisputed lines are accepted; the disputed ones wait for finance."),
            )
        else:
            messages.success(request, _("The statement is accepted."))
    return redirect("costs:statement", period_id=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def dispute_line(request: HttpRequest, line_id: int) -> HttpResponse:
    agency = require_admin(request)
    # another agency's line is as unknown as a missing one
    lines = AllocationLine.objects.select_related("period", "pool", "key_version__key", "service")
    line = policies.lines(of_request(request), lines).filter(pk=line_id).first()
    if line is None:
        raise Http404(_("No such line."))
    form = DisputeForm()
    status = 200
    if request.method == "POST":
        form = DisputeForm(request.POST)
        done = submit(
            form,
            lambda d: actions.dispute_line(cast(User, request.user), agency, line.pk, d["comment"]),
            {"line": None, "period": None},
        )
        if done is not None:
            messages.success(request, _("The line is disputed; finance will answer."))
            return redirect("costs:statement", period_id=line.period_id)
        status = 400
    return render(
        request,
        "costs/agency_dispute.html",
        {"line": line, "period": line.period, "form": form},
        status=status,
    )
