"""Support pages on the central host: the service-desk queue across agencies (from the
cross-agency index, due-time colours), and one ticket of any agency with its clock timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms import submit
from portal.paging import paginate
from services.crossindex.models import IndexEntry, IndexKind
from services.support import actions, clocks
from services.support.inbound.models import HeldMail, HeldState
from services.support.models import OPEN_TICKET_STATES, Channel, Ticket, TicketMessage, TicketState
from services.support.portal.access import require_agent
from services.support.portal.forms import AgentReplyForm, QueueFilterForm, StateForm
from services.support.selectors import load_ticket
from tenants.models import Agency, User


def due_class(entry: IndexEntry, now: dt.datetime) -> str:
    """Breached (red), warned (amber) or in time (green): what the queue's colours mean."""
    if entry.escalation >= 2 or (entry.due_at and entry.due_at <= now):
        return "due-breached"
    if entry.escalation >= 1 or (entry.warn_at and entry.warn_at <= now):
        return "due-warned"
    return "due-ok"


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    require_agent(request)
    form = QueueFilterForm(request.GET or None)
    qs = IndexEntry.objects.filter(kind=IndexKind.TICKET, state__in=OPEN_TICKET_STATES)
    if form.is_valid():
        if form.cleaned_data["agency"]:
            qs = qs.filter(agency__slug=form.cleaned_data["agency"])
        if form.cleaned_data["priority"]:
            qs = qs.filter(priority=form.cleaned_data["priority"])
        if form.cleaned_data["mine"]:
            qs = qs.filter(assignee_id=request.user.pk)
    qs = qs.select_related("agency", "service", "assignee").order_by("due_at", "id")
    page = paginate(request, qs)
    now = timezone.now()
    rows = [(e, due_class(e, now), TicketState(e.state).label) for e in page]
    query = "&".join(f"{k}={v}" for k, v in request.GET.items() if k != "page" and v)
    return render(
        request,
        "support/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "now": now,
            "held_count": HeldMail.objects.filter(state=HeldState.HELD).count(),
        },
    )


def _ticket_or_404(agency_id: int, pk: int) -> tuple[Agency, Ticket]:
    agency = Agency.objects.members().filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    ticket = load_ticket(agency, pk)
    if ticket is None:
        raise Http404
    return agency, ticket


@login_required
def detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The ticket, its conversation (internal notes too) and why each clock stands where it
    does (the replay's explanation, event by event)."""
    require_agent(request)
    agency, ticket = _ticket_or_404(agency_id, pk)
    form = AgentReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":

        def act(data: dict[str, Any]) -> TicketMessage:
            return actions.add_message(
                agency,
                ticket.pk,
                body=data["body"],
                channel=Channel.WEB,
                actor=cast(User, request.user),
                internal=data["internal"],
                attachments=[(f.name, f.read()) for f in data["attachments"] or []],
            )

        if submit(form, act) is not None:
            messages.success(request, _("The message is saved."))
            return redirect("support:ticket", agency_id=agency.pk, pk=ticket.pk)
    statuses = clocks.statuses(agency, ticket, events=ticket.clock_events.all())
    return render(
        request,
        "support/central_detail.html",
        {
            "agency": agency,
            "ticket": ticket,
            "conversation": list(ticket.messages.all()),
            "clocks": [(name, st) for name, st in statuses.items()],
            "events": list(ticket.clock_events.all()),
            "form": form,
            "state_form": StateForm(initial={"state": ticket.state}),
        },
    )


@login_required
@require_POST
def take(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    require_agent(request)
    agency, ticket = _ticket_or_404(agency_id, pk)
    actions.assign_ticket(agency, cast(User, request.user), ticket.pk, assignee_id=request.user.pk)
    messages.success(request, _("The ticket is yours."))
    return redirect("support:ticket", agency_id=agency.pk, pk=ticket.pk)


@login_required
@require_POST
def change_state(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    require_agent(request)
    agency, ticket = _ticket_or_404(agency_id, pk)
    form = StateForm(request.POST)

    def act(data: dict[str, Any]) -> Ticket:
        return actions.change_state(
            agency, cast(User, request.user), ticket.pk, data["state"], data["reason"]
        )

    if submit(form, act) is not None:
        messages.success(request, _("The state is changed."))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))  # an ErrorList yields the messages
    return redirect("support:ticket", agency_id=agency.pk, pk=ticket.pk)
