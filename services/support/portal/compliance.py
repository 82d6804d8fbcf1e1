"""The agreement compliance page: the monthly figures per agency and agreement (an SVG bar
chart whose text alternative is the table beside it, and the table), the OLA tickets that
breached a clock with their review actions, and satisfaction results per agency, service and
agent. On the central host for platform admins, service-desk agents and finance (every
agency); on an agency's host for its admins (their own). Recording and completing review
actions: platform admins and service-desk agents, centrally (services/support/reviews.py).

Cost: the compliance report's constant number of queries per agency
(services/support/compliance.py), plus the review actions (one per agency) and satisfaction
(one per agency, two in public)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.forms import submit
from services.support import compliance, reviews
from services.support.errors import SupportErrorCode as Code
from services.support.satisfaction import policies as satisfaction_policies
from services.support.satisfaction.selectors import results
from tenants.models import Agency, User
from tenants.viewer import host_agency_of, of_request


class ReviewForm(forms.Form):
    what_happened = forms.CharField(
        label=gettext_lazy("What happened"), widget=forms.Textarea(attrs={"rows": 3})
    )
    corrective_action = forms.CharField(
        label=gettext_lazy("Corrective action"), widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.CharField(
        label=gettext_lazy("Owner (a role or function)"), max_length=reviews.OWNER_MAX_LENGTH
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _month(request: HttpRequest) -> tuple[dt.date, str]:
    """The month asked for (YYYY-MM), or this month with the reason when it was not valid."""
    text = request.GET.get("month")
    if text:
        try:
            return compliance.parse_month(text), ""
        except ValidationError as exc:
            return timezone.localdate().replace(day=1), " ".join(exc.messages)
    return timezone.localdate().replace(day=1), ""


def chart_bars(report: compliance.ComplianceReport, central: bool) -> list[dict[str, Any]]:
    """One bar per row: the share of tickets met, breached and pending, in percent of the
    bar's width (the SVG draws them side by side; the numbers are in the table too)."""
    bars = []
    for row in report.rows:
        total = row.tickets or 1
        met = row.met * 100 / total
        breached = row.breached * 100 / total
        label = f"{row.agreement.name} P{row.priority}"
        bars.append(
            {
                "label": f"{row.agency.name}: {label}" if central else label,
                "met": row.met,
                "breached": row.breached,
                "pending": row.tickets - row.met - row.breached,
                "met_width": round(met, 2),
                "breached_x": round(met, 2),
                "breached_width": round(breached, 2),
                "pending_x": round(met + breached, 2),
                "pending_width": round(max(0.0, 100 - met - breached), 2),
            }
        )
    return bars


def _page(request: HttpRequest, host: Agency | None) -> HttpResponse:
    viewer = of_request(request)
    slug = request.GET.get("agency") or None
    try:
        agencies = compliance.agencies_for(request.user, host, slug)
    except ValidationError:
        agencies, slug = compliance.agencies_for(request.user, host), None
        messages.error(request, _("No such agency."))
    month, month_error = _month(request)
    now = timezone.now()
    report = compliance.monthly_report(agencies, month, now=now)
    breaches = [b for a in agencies for b in compliance.ola_breaches(a, month, now=now)]
    actions_of: dict[tuple[int, int], list] = defaultdict(list)
    open_actions = []
    for agency, review in reviews.review_actions(agencies):
        actions_of[(agency.pk, review.ticket_id)].append(review)
        if review.done_on is None:
            open_actions.append((agency, review))
    start, end = compliance.month_bounds(month)
    satisfaction = results(agencies, start, end, agents=satisfaction_policies.sees_agents(viewer))
    return render(
        request,
        "support/compliance.html",
        {
            "central": host is None,
            "month": month,
            "month_error": month_error,
            "agencies": agencies if host is None else [],
            "slug": slug or "",
            "report": report,
            "bars": chart_bars(report, host is None),
            "breaches": [(b, actions_of.get((b.agency.pk, b.ticket.pk), [])) for b in breaches],
            "open_actions": open_actions,
            "reviewer": reviews.is_reviewer(request.user) and host is None,
            "satisfaction": satisfaction,
        },
    )


@login_required
def central(request: HttpRequest) -> HttpResponse:
    return _page(request, None)


@login_required
def agency(request: HttpRequest) -> HttpResponse:
    return _page(request, host_agency_of(request))


def _agency_or_404(agency_id: int) -> Agency:
    found = (
        Agency.objects.members().filter(pk=agency_id, state__in=compliance.READABLE_STATES).first()
    )
    if found is None:
        raise Http404
    return found


def _require_reviewer(request: HttpRequest) -> None:
    if not (host_agency_of(request) is None and reviews.is_reviewer(request.user)):
        raise PermissionDenied(_("Only platform admins and service-desk agents record reviews."))


@login_required
def record_review(request: HttpRequest, agency_id: int, ticket_id: int) -> HttpResponse:
    """Record a review action for a breached OLA ticket (its own page: the form and errors)."""
    _require_reviewer(request)
    target = _agency_or_404(agency_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":

        def act(data: dict[str, Any]) -> object:
            return reviews.record_review_action(
                target,
                cast(User, request.user),
                ticket_id,
                reviews.NewReviewAction(
                    what_happened=data["what_happened"],
                    corrective_action=data["corrective_action"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                ),
            )

        if submit(form, act) is not None:
            messages.success(request, _("The review action is recorded."))
            return redirect(reverse("support:compliance") + f"?agency={target.slug}")
    return render(
        request,
        "support/compliance_review.html",
        {"agency": target, "ticket_id": ticket_id, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def complete_review(request: HttpRequest, agency_id: int, review_id: int) -> HttpResponse:
    _require_reviewer(request)
    target = _agency_or_404(agency_id)
    try:
        reviews.complete_review_action(target, cast(User, request.user), review_id)
    except ValidationError as exc:
        codes = [e.code for e in getattr(exc, "error_dict", {}).get("review_action", [])]
        if Code.NOT_FOUND in codes:
            raise Http404 from exc
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The review action is marked done."))
    return redirect(reverse("support:compliance") + f"?agency={target.slug}")
