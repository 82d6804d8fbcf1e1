"""The order builder: lines, note, a live quote (htmx) and placing the order."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.forms import apply_errors
from services.catalogue.models import Offering
from services.catalogue.selectors import orderable_filter
from services.ordering import actions, quotes
from services.ordering.forms import MAX_LINES, LineForm, LineFormSet, OrderForm, line_requests
from services.ordering.portal.event_labels import error_items
from services.ordering.portal.guards import require_admin
from services.ordering.quotes import Issue
from tenants.models import Agency, User

PREFIX = "lines"
BLANK_ROWS = 3


def offering_choices(agency: Agency) -> list[tuple[int, str]]:
    """The offerings the agency may order now, for the line selects (one query)."""
    rows = (
        Offering.objects.filter(orderable_filter(agency))
        .select_related("service")
        .order_by("service__name", "name", "pk")
    )
    return [(o.pk, f"{o.service.name}: {o.name}") for o in rows]


def _formset(
    data: QueryDict | None,
    choices: list[tuple[int, str]],
    initial: list[dict[str, Any]] | None = None,
) -> BaseFormSet[LineForm]:
    return LineFormSet(
        data, prefix=PREFIX, initial=initial, form_kwargs={"offering_choices": choices}
    )


def _typed_rows(data: QueryDict) -> list[dict]:
    """The rows as typed (for "add a line", which re-shows them without checking them)."""
    try:
        total = min(int(data.get(f"{PREFIX}-TOTAL_FORMS", 0)), MAX_LINES - 1)
    except ValueError:
        total = 0
    return [
        {
            "offering": data.get(f"{PREFIX}-{i}-offering", ""),
            "quantity": data.get(f"{PREFIX}-{i}-quantity", ""),
        }
        for i in range(total)
    ]


def _line_errors(
    formset: BaseFormSet[LineForm],
    origin: dict[int, int],
    exc: ValidationError,
    order_form: OrderForm,
) -> None:
    """Put the action's `lines.<n>.<field>` errors on that line's field, the rest on top."""
    rest = {}
    for key, errors in error_items(exc):
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            form = formset.forms[origin.get(int(parts[1]), 0)]
            name = parts[2] if parts[2] in form.fields else None
            form.add_error(name, [m for e in errors for m in e.messages])
        else:
            rest[key] = errors
    if rest:
        apply_errors(order_form, ValidationError(rest), {"budget": "request_budget_override"})


@login_required
@require_http_methods(["GET", "POST"])
def new_order(request: HttpRequest) -> HttpResponse:
    agency = require_admin(request)
    choices = offering_choices(agency)
    if request.method == "GET":
        preselected = request.GET.get("offering", "")
        initial = [{"offering": preselected}] if preselected.isdigit() else []
        initial += [{}] * (BLANK_ROWS - 1 - len(initial))
        return _render(request, _formset(None, choices, initial), OrderForm())

    if "add_line" in request.POST:
        # re-show what was typed with one more blank line; nothing is checked yet
        formset = _formset(None, choices, _typed_rows(request.POST))
        order_form = OrderForm(initial={"note": request.POST.get("note", "")})
        return _render(request, formset, order_form)

    formset = _formset(request.POST, choices)
    order_form = OrderForm(request.POST)
    quote_ctx = _quote_context(agency, formset)
    if formset.is_valid() and order_form.is_valid():
        requests, origin = line_requests(formset)
        try:
            order = actions.place_order(
                agency,
                cast(User, request.user),
                requests,
                note=order_form.cleaned_data["note"],
                request_budget_override=order_form.cleaned_data["request_budget_override"],
            )
        except ValidationError as exc:
            _line_errors(formset, origin, exc, order_form)
        else:
            messages.success(request, _("Order %(id)s is placed.") % {"id": order.pk})
            return redirect("ordering:order", pk=order.pk)
    return _render(request, formset, order_form, quote=quote_ctx, status=400)


@login_required
@require_POST
def quote(request: HttpRequest) -> HttpResponse:
    """The quote panel of the builder, recomputed as the lines change (htmx). Writes nothing."""
    agency = require_admin(request)
    formset = _formset(request.POST, offering_choices(agency))
    return render(request, "ordering/_quote.html", _quote_context(agency, formset))


def _quote_context(agency: Agency, formset: BaseFormSet[LineForm]) -> dict:
    if not formset.is_valid():
        return {"problems": _formset_messages(formset)}
    requests, origin = line_requests(formset)
    if not requests:
        return {"empty": True}
    try:
        q = quotes.quote(agency, requests)
    except ValidationError as exc:
        return {"problems": _action_messages(exc, origin)}

    def issues(found: list[Issue]) -> list[str]:
        return [
            _("Line %(n)s: %(error)s") % {"n": origin.get(i.position, 0) + 1, "error": i.message}
            for i in found
        ]

    return {
        "quote": q,
        "missing": issues(q.missing_prerequisites),
        "excluded": issues(q.exclusions),
    }


def _action_messages(exc: ValidationError, origin: dict[int, int]) -> list[str]:
    out = []
    for key, errors in error_items(exc):
        parts = key.split(".")
        for message in (m for e in errors for m in e.messages):
            if len(parts) == 3 and parts[1].isdigit():
                n = origin.get(int(parts[1]), 0) + 1
                message = _("Line %(n)s: %(error)s") % {"n": n, "error": message}
            out.append(message)
    return out


def _formset_messages(formset: BaseFormSet[LineForm]) -> list[str]:
    out = []
    for i, form in enumerate(formset.forms, 1):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            out += [
                _("Line %(n)s, %(field)s: %(error)s") % {"n": i, "field": label, "error": e}
                for e in errors
            ]
    return out


def _render(
    request: HttpRequest,
    formset: BaseFormSet[LineForm],
    order_form: OrderForm,
    quote: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "ordering/builder.html",
        {
            "formset": formset,
            "order_form": order_form,
            "can_add_line": formset.total_form_count() < MAX_LINES,
            **(quote or {"empty": True}),
        },
        status=status,
    )
