"""One ticket of any agency on the central host, as the service desk works it: the
conversation (internal notes too), replies with canned answers, state, priority, assignment,
merging and links, the clocks explained, who else is on it, and a fragment polled for news."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import tenant_context

from portal.forms import submit
from services.crossindex.models import IndexEntry, IndexKind
from services.support import actions, clocks
from services.support.desk import actions as desk
from services.support.desk import policies as desk_policies
from services.support.desk.models import CannedAnswer
from services.support.models import Channel, Ticket, TicketMessage
from services.support.portal import presence
from services.support.portal.access import require_agent
from services.support.portal.forms import (
    AgentReplyForm,
    AssignForm,
    LinkForm,
    MergeForm,
    PriorityForm,
    StateForm,
)
from services.support.portal.queue import agent_choices
from services.support.selectors import linked_tickets, load_ticket
from tenants.models import Agency, AgencyState, User
from tenants.viewer import of_request

LIVE_SECONDS = 10  # how often the page asks for news
DEFAULT_GROUPS = ("servicedesk", "field", "network", "identity")


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def ticket_or_404(agency_id: int, pk: int) -> tuple[Agency, Ticket]:
    # an offboarded agency's schema is dropped: its tickets are gone
    agencies = Agency.objects.members().exclude(state=AgencyState.OFFBOARDED)
    agency = agencies.filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    ticket = load_ticket(agency, pk)
    if ticket is None:
        raise Http404
    return agency, ticket


def groups(current: str = "") -> list[str]:
    """The groups a ticket may go to: the configured ones, those tickets are in now (one query
    on the index) and the ticket's own."""
    named = set(getattr(settings, "SAMNAV_TICKET_GROUPS", DEFAULT_GROUPS))
    named |= set(getattr(settings, "SAMNAV_GROUP_EMAILS", {}))
    used = IndexEntry.objects.filter(kind=IndexKind.TICKET).exclude(group="")
    named |= set(used.values_list("group", flat=True).distinct())
    if current:
        named.add(current)
    return sorted(named)


def _canned(request: HttpRequest, agency: Agency, ticket: Ticket) -> list[tuple[CannedAnswer, str]]:
    """Every canned answer with its placeholders filled for this ticket."""
    rows = desk_policies.canned_answers(of_request(request), CannedAnswer.objects.all())
    values = {
        "requester_name": ticket.requester.name,
        "ticket_number": f"{agency.slug}#{ticket.pk}",
        "agent_name": request.user.get_username(),
        "subject": ticket.subject,
    }
    return [(row, desk.fill(row.body, values)) for row in rows]


def _seen(request: HttpRequest, agency: Agency, ticket: Ticket, typing: bool = False) -> None:
    user = _actor(request)
    presence.seen(agency.pk, ticket.pk, user.pk, user.get_username(), typing=typing)


def _live_context(request: HttpRequest, agency: Agency, ticket: Ticket) -> dict[str, Any]:
    return {
        "agency": agency,
        "ticket": ticket,
        "conversation": list(ticket.messages.all()),
        "others": presence.others(agency.pk, ticket.pk, _actor(request).pk),
        "live_seconds": LIVE_SECONDS,
    }


@login_required
def detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The ticket page; a POST is a reply or an internal note."""
    require_agent(request)
    agency, ticket = ticket_or_404(agency_id, pk)
    canned = _canned(request, agency, ticket)
    initial = {}
    chosen = request.GET.get("canned", "")
    if request.method == "GET" and chosen.isdigit():
        initial["body"] = next((text for row, text in canned if row.pk == int(chosen)), "")
    form = AgentReplyForm(request.POST or None, request.FILES or None, initial=initial)
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
    return _page(request, agency, ticket, form, canned, chosen)


def _page(
    request: HttpRequest,
    agency: Agency,
    ticket: Ticket,
    form: AgentReplyForm | None = None,
    canned: list[tuple[CannedAnswer, str]] | None = None,
    chosen: str = "",
    refused: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    """The ticket page; `refused` holds a side form sent with mistakes (shown with its errors
    next to its fields, answered 400)."""
    if canned is None:
        canned = _canned(request, agency, ticket)
    form = form or AgentReplyForm()
    form.fields["body"].widget.attrs.update(
        {  # key strokes tell the others that this agent is writing (throttled)
            "hx-post": reverse("support:ticket-typing", args=[agency.pk, ticket.pk]),
            "hx-trigger": "input changed throttle:5s",
            "hx-swap": "none",
        }
    )
    _seen(request, agency, ticket)
    statuses = clocks.statuses(agency, ticket, events=ticket.clock_events.all())
    with tenant_context(agency):
        links = linked_tickets(ticket)
        merged = list(Ticket.objects.filter(merged_into=ticket).order_by("pk"))
        target = ticket.merged_into
    agents = agent_choices(request)
    side = {
        "state_form": StateForm(initial={"state": ticket.state}, auto_id="state_%s"),
        "priority_form": PriorityForm(initial={"priority": ticket.priority}, auto_id="priority_%s"),
        "assign_form": AssignForm(
            None,
            agents,
            groups(ticket.group),
            initial={"assignee": ticket.assignee_id, "group": ticket.group},
            auto_id="assign_%s",
        ),
        "merge_form": MergeForm(auto_id="merge_%s"),
        "link_form": LinkForm(auto_id="link_%s"),
        **(refused or {}),
    }
    return render(
        request,
        "support/central_detail.html",
        {
            **_live_context(request, agency, ticket),
            "clocks": [(name, st) for name, st in statuses.items()],
            "events": list(ticket.clock_events.all()),
            "form": form,
            "canned": canned,
            "chosen": chosen,
            **side,
            "assignee": next((n for i, n in agents if i == ticket.assignee_id), None),
            "links": links,
            "merged": merged,
            "merged_into": target,
        },
        status=400 if refused else 200,
    )


@login_required
def live(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The polled fragment: state, priority, assignee, who else is on the ticket and the
    conversation. Each poll counts as the agent still having the page open."""
    require_agent(request)
    agency, ticket = ticket_or_404(agency_id, pk)
    _seen(request, agency, ticket)
    return render(request, "support/_desk_live.html", _live_context(request, agency, ticket))


@login_required
@require_POST
def typing(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The reply box's key strokes (throttled by htmx): the agent is writing a reply."""
    require_agent(request)
    agency, ticket = ticket_or_404(agency_id, pk)
    _seen(request, agency, ticket, typing=True)
    return HttpResponse(status=204)


def _post(
    request: HttpRequest,
    agency_id: int,
    pk: int,
    form_class: Callable[..., forms.Form],
    act: Callable[[Agency, Ticket, dict[str, Any]], object],
    done: str,
    key: str,
) -> HttpResponse:
    """Run a ticket page form through its action; a form with mistakes comes back on the
    ticket page with its errors next to its fields (`key`: the page's name for the form)."""
    require_agent(request)
    agency, ticket = ticket_or_404(agency_id, pk)
    form = form_class(request.POST)
    if submit(form, lambda data: act(agency, ticket, data) or True) is None:
        form.auto_id = f"{key}_%s"  # the ids the page gives this form's fields
        return _page(request, agency, ticket, refused={f"{key}_form": form})
    messages.success(request, done)
    return redirect("support:ticket", agency_id=agency.pk, pk=ticket.pk)


@login_required
@require_POST
def take(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    require_agent(request)
    agency, ticket = ticket_or_404(agency_id, pk)
    actions.assign_ticket(agency, _actor(request), ticket.pk, assignee_id=request.user.pk)
    messages.success(request, _("The ticket is yours."))
    return redirect("support:ticket", agency_id=agency.pk, pk=ticket.pk)


@login_required
@require_POST
def change_state(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    def act(agency: Agency, ticket: Ticket, data: dict[str, Any]) -> object:
        return actions.change_state(
            agency, _actor(request), ticket.pk, data["state"], data["reason"]
        )

    return _post(request, agency_id, pk, StateForm, act, _("The state is changed."), "state")


@login_required
@require_POST
def priority(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    def act(agency: Agency, ticket: Ticket, data: dict[str, Any]) -> object:
        return actions.set_priority(
            agency, _actor(request), ticket.pk, data["priority"], data["reason"]
        )

    return _post(
        request, agency_id, pk, PriorityForm, act, _("The priority is changed."), "priority"
    )


@login_required
@require_POST
def assign(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    agents = agent_choices(request)

    def form_class(data: Any) -> AssignForm:
        return AssignForm(data, agents, groups(data.get("group", "")))

    def act(agency: Agency, ticket: Ticket, data: dict[str, Any]) -> object:
        return actions.assign_ticket(
            agency, _actor(request), ticket.pk, assignee_id=data["assignee"], group=data["group"]
        )

    return _post(request, agency_id, pk, form_class, act, _("The ticket is reassigned."), "assign")


@login_required
@require_POST
def merge(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    def act(agency: Agency, ticket: Ticket, data: dict[str, Any]) -> object:
        if data["direction"] == "into_this":
            return actions.merge_ticket(
                agency, _actor(request), data["other"], ticket.pk, data["reason"]
            )
        return actions.merge_ticket(
            agency, _actor(request), ticket.pk, data["other"], data["reason"]
        )

    return _post(request, agency_id, pk, MergeForm, act, _("The tickets are merged."), "merge")


@login_required
@require_POST
def link(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    def act(agency: Agency, ticket: Ticket, data: dict[str, Any]) -> object:
        return actions.link_tickets(agency, _actor(request), ticket.pk, data["other"])

    return _post(request, agency_id, pk, LinkForm, act, _("The tickets are linked."), "link")


@login_required
@require_POST
def unlink(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    def act(agency: Agency, ticket: Ticket, data: dict[str, Any]) -> object:
        actions.unlink_tickets(agency, _actor(request), ticket.pk, data["other"])
        return True

    return _post(request, agency_id, pk, LinkForm, act, _("The link is removed."), "link")
