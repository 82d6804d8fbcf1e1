"""Central IT's fulfilment queue across agencies (read from the cross-agency index), and an
order's page, loaded inside its agency's schema, where lines are fulfilled or rejected."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_tenants.utils import tenant_context

from portal.forms import submit
from portal.paging import paginate
from services.crossindex.models import IndexEntry, IndexKind
from services.ordering import actions, fulfilment
from services.ordering.forms import LineDecisionForm, LineDecisionFormSet, ReasonForm
from services.ordering.models import LineState, Order, OrderLine, OrderState
from services.ordering.portal.event_labels import error_items, event_rows, people_names
from services.ordering.portal.guards import require_fulfiller
from tenants.models import Agency, AgencyQuerySet, AgencyState, User

QUEUE_STATES = (OrderState.AWAITING_FULFILMENT, OrderState.PARTIALLY_FULFILLED)
DECIDABLE = QUEUE_STATES


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    require_fulfiller(request)
    agencies = list(order_agencies().order_by("name"))
    slug = request.GET.get("agency", "")
    qs = (
        IndexEntry.objects.filter(kind=IndexKind.ORDER, state__in=QUEUE_STATES)
        .select_related("agency")
        .order_by("due_at", "id")
    )
    if slug:
        qs = qs.filter(agency__slug=slug)
    page = paginate(request, qs)
    return render(
        request,
        "ordering/fulfilment_queue.html",
        {
            "page": page,
            "agencies": agencies,
            "agency_slug": slug,
            "query": f"agency={slug}" if slug else "",
        },
    )


def order_agencies() -> AgencyQuerySet:
    """The agencies whose orders central IT handles (active, or suspended with orders open)."""
    return Agency.objects.members().filter(state__in=[AgencyState.ACTIVE, AgencyState.SUSPENDED])


def load_order(agency: Agency, pk: int) -> tuple[Order, list[OrderLine], list[dict]]:
    """An order of `agency` with its lines and named events, for central IT's pages; 404."""
    with tenant_context(agency):
        # list() evaluates with the prefetches inside the agency's schema
        order = (
            Order.objects.prefetch_related(
                Prefetch("lines", queryset=OrderLine.objects.select_related("offering__service")),
                "events",
            )
            .filter(pk=pk)
            .first()
        )
        if order is None:
            raise Http404(_("No such order."))
        events = list(order.events.all())
        ids = [order.placed_by_id, order.approved_by_id, *(e.actor_id for e in events)]
        return order, list(order.lines.all()), event_rows(events, people_names(ids))


@login_required
@require_http_methods(["GET", "POST"])
def order(request: HttpRequest, agency_slug: str, pk: int) -> HttpResponse:
    require_fulfiller(request)
    agency = order_agencies().filter(slug=agency_slug).first()
    if agency is None:
        raise Http404(_("No such agency."))
    order_row, lines, events = load_order(agency, pk)
    pending = [line for line in lines if line.state == LineState.PENDING]
    initial = [{"line": line.pk, "decision": LineDecisionForm.FULFIL} for line in pending]
    decisions = LineDecisionFormSet(prefix="lines", initial=initial)
    reject_form = ReasonForm(prefix="reject")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "fulfil":
            # every posted line is a decision: none is skipped as "unchanged"
            decisions = LineDecisionFormSet(
                request.POST, prefix="lines", form_kwargs={"empty_permitted": False}
            )
            if _fulfil(request, agency, pk, decisions):
                return redirect("ordering:fulfilment_order", agency_slug=agency.slug, pk=pk)
        elif action == "reject":
            reject_form = ReasonForm(request.POST, prefix="reject")
            done = submit(
                reject_form,
                lambda data: actions.reject_order(
                    agency, cast(User, request.user), pk, data["reason"]
                ),
            )
            if done is not None:
                messages.success(request, _("The order is rejected."))
                return redirect("ordering:fulfilment_order", agency_slug=agency.slug, pk=pk)
        status = 400
    by_id: dict[int | None, OrderLine] = {line.pk: line for line in lines}
    return render(
        request,
        "ordering/fulfilment_order.html",
        {
            "agency": agency,
            "order": order_row,
            "lines": lines,
            "events": events,
            "decisions": [(form, by_id.get(_line_id(form))) for form in decisions.forms],
            "formset": decisions,
            "reject_form": reject_form,
            "may_decide": order_row.state in DECIDABLE and bool(pending),
        },
        status=status,
    )


def _line_id(form: LineDecisionForm) -> int | None:
    value = form["line"].value()
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _fulfil(
    request: HttpRequest, agency: Agency, pk: int, formset: BaseFormSet[LineDecisionForm]
) -> bool:
    """Send the decisions to fulfil_order; show its errors on the lines' fields."""
    if not formset.forms:
        messages.error(request, _("No line of this order is pending."))
        return False
    if not formset.is_valid():
        return False
    chosen = [
        (form, form.cleaned_data)
        for form in formset.forms
        if form.cleaned_data.get("decision") != LineDecisionForm.LATER
    ]
    if not chosen:
        formset.forms[0].add_error("decision", _("Decide on at least one line."))
        return False
    decisions = [
        fulfilment.LineDecision(
            data["line"], data["decision"] == LineDecisionForm.FULFIL, data["reason"]
        )
        for _form, data in chosen
    ]
    try:
        fulfilment.fulfil_order(agency, cast(User, request.user), pk, decisions)
    except ValidationError as exc:
        for key, errors in error_items(exc):
            parts = key.split(".")
            if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(chosen):
                form = chosen[int(parts[1])][0]
                name = "reason" if parts[2] == "reason" else None
                form.add_error(name, [m for e in errors for m in e.messages])
            else:
                formset.forms[0].add_error(None, [m for e in errors for m in e.messages])
        return False
    messages.success(request, _("The decisions are saved."))
    return True
