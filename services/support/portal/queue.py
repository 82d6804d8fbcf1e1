"""The service-desk queue on the central host: open tickets of every agency from the
cross-agency index (earliest due first), their subject and requester read from the agencies'
schemas in one query per page, filters, each agent's saved views and bulk changes."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from portal.paging import paginate
from services.catalogue.models import Agreement
from services.crossindex.models import IndexEntry
from services.support import actions, policies
from services.support.actions.bulk import MAX_BULK
from services.support.desk import actions as desk
from services.support.desk import policies as desk_policies
from services.support.desk.models import SavedView
from services.support.inbound.models import HeldMail, HeldState
from services.support.models import OPEN_TICKET_STATES, TicketState
from services.support.portal.access import require_agent
from services.support.portal.forms import BulkForm, DeskFilterForm, SaveViewForm
from services.support.selectors import queue_lines
from tenants.models import Agency, AgencyState, User
from tenants.viewer import of_request

# Shared default views, beside each agent's own.
DEFAULT_VIEWS = (
    (gettext_lazy("Mine"), "mine=on"),
    (gettext_lazy("Unassigned"), "unassigned=on"),
    (gettext_lazy("Breached"), "breached=on"),
)


def due_class(entry: IndexEntry, now: dt.datetime) -> str:
    """Breached (red), warned (amber) or in time (green): what the queue's colours mean."""
    if entry.escalation >= 2 or (entry.due_at and entry.due_at <= now):
        return "due-breached"
    if entry.escalation >= 1 or (entry.warn_at and entry.warn_at <= now):
        return "due-warned"
    return "due-ok"


def agent_choices(request: HttpRequest) -> list[tuple[int, str]]:
    """The agents a ticket may be assigned to, the caller first and marked."""
    me = request.user.pk
    users = policies.ticket_agents(of_request(request), User.objects.all())
    found = [(u.pk, u.username) for u in users]
    mine = [(pk, _("%(name)s (me)") % {"name": name}) for pk, name in found if pk == me]
    return mine + [(pk, name) for pk, name in found if pk != me]


def _filtered(request: HttpRequest, form: DeskFilterForm, now: dt.datetime) -> Any:
    open_rows = IndexEntry.objects.filter(state__in=OPEN_TICKET_STATES).exclude(
        agency__state=AgencyState.OFFBOARDED  # its schema and tickets are gone
    )
    qs = policies.ticket_queue(of_request(request), open_rows)
    if form.is_valid():
        data = form.cleaned_data
        if data["agency"]:
            qs = qs.filter(agency__slug=data["agency"])
        if data["agreement"]:
            qs = qs.filter(agreement_id=data["agreement"])
        if data["priority"]:
            qs = qs.filter(priority=data["priority"])
        if data["mine"]:
            qs = qs.filter(assignee_id=request.user.pk)
        if data["unassigned"]:
            qs = qs.filter(assignee__isnull=True)
        if data["breached"]:
            qs = qs.filter(Q(escalation__gte=2) | Q(due_at__lte=now))
    return qs.select_related("agency", "service", "assignee", "agreement").order_by("due_at", "id")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    require_agent(request)
    agencies = list(Agency.objects.members().order_by("name").values_list("slug", "name"))
    agreements = list(Agreement.objects.order_by("name").values_list("pk", "name"))
    form = DeskFilterForm(request.GET or None, agencies, agreements)
    now = timezone.now()
    page = paginate(request, _filtered(request, form, now))
    entries = list(page)
    lines = queue_lines((e.agency, e.local_id) for e in entries)
    rows = [
        (e, due_class(e, now), TicketState(e.state).label, lines.get((e.agency_id, e.local_id)))
        for e in entries
    ]
    query = desk.clean_query(request.GET.urlencode())
    views = desk_policies.saved_views(of_request(request), SavedView.objects.all())
    return render(
        request,
        "support/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "now": now,
            "views": list(views),
            "default_views": DEFAULT_VIEWS,
            "save_form": SaveViewForm(initial={"query": query}),
            "bulk_form": BulkForm(None, agent_choices(request)),
            "held_count": HeldMail.objects.filter(state=HeldState.HELD).count(),
        },
    )


def _queue_at(query: str) -> HttpResponse:
    return redirect(f"{reverse('support:queue')}?{query}" if query else reverse("support:queue"))


@login_required
@require_POST
def save_view(request: HttpRequest) -> HttpResponse:
    require_agent(request)
    form = SaveViewForm(request.POST)
    if form.is_valid():
        try:
            view = desk.save_view(
                cast(User, request.user),
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The view “%(name)s” is saved.") % {"name": view.name})
            return _queue_at(view.query)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
    return redirect("support:queue")


@login_required
@require_POST
def delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_agent(request)
    try:
        desk.delete_view(cast(User, request.user), pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The view is deleted."))
    return redirect("support:queue")


def _refs(values: list[str]) -> tuple[list[tuple[Agency, int]], list[str]]:
    """The ticked rows ("<agency id>:<ticket id>") as (agency, ticket id), one query for the
    agencies; and the values that name no ticket of a member agency."""
    parsed: list[tuple[int, int]] = []
    bad: list[str] = []
    for value in values[: MAX_BULK + 1]:
        a, _sep, t = value.partition(":")
        if a.isdigit() and t.isdigit():
            parsed.append((int(a), int(t)))
        else:
            bad.append(value)
    agencies = Agency.objects.members().exclude(state=AgencyState.OFFBOARDED)
    found = {a.pk: a for a in agencies.filter(pk__in={a for a, _t in parsed})}
    refs = [(found[a], t) for a, t in parsed if a in found]
    bad += [f"{a}:{t}" for a, t in parsed if a not in found]
    return refs, bad


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Assign or move the ticked tickets; each that cannot is named, the others change."""
    require_agent(request)
    actor = cast(User, request.user)
    form = BulkForm(request.POST, agent_choices(request))
    query = desk.clean_query(request.POST.get("query", ""))
    target = _queue_at(query)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return target
    refs, bad = _refs(request.POST.getlist("tickets"))
    data = form.cleaned_data
    try:
        if data["operation"] == "assign":
            outcomes = actions.bulk_assign(actor, refs, assignee_id=data["assignee"])
        else:
            outcomes = actions.bulk_change_state(actor, refs, data["state"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return target
    done = sum(1 for o in outcomes if o.ok)
    if done:
        messages.success(
            request,
            ngettext("%(n)s ticket changed.", "%(n)s tickets changed.", done) % {"n": done},
        )
    for o in outcomes:
        if not o.ok:
            messages.error(
                request,
                _("%(ref)s was not changed: %(why)s")
                % {"ref": f"{o.agency.slug}#{o.ticket_id}", "why": o.message},
            )
    for value in bad:
        messages.error(request, _("%(ref)s: no such ticket.") % {"ref": value})
    return target
