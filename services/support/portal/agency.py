"""Support pages on an agency's host: report a problem (with self-help suggestions as the
person writes), my tickets, the agency's tickets (admins), one ticket with its conversation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.forms import submit
from portal.paging import paginate
from services.knowledge import search as knowledge
from services.knowledge.models import Outcome
from services.knowledge.outcomes import record_outcome
from services.people.models import Person
from services.support import actions, policies
from services.support.models import OPEN_TICKET_STATES, Channel, Ticket, TicketMessage
from services.support.portal.access import require_admin, require_member
from services.support.portal.forms import ProblemForm, ReplyForm
from tenants.models import User
from tenants.viewer import of_request


def _files(uploaded: Iterable[UploadedFile] | None) -> list[tuple[str, bytes]]:
    return [(f.name, f.read()) for f in uploaded or []]  # type: ignore[misc]  # an upload has a name


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Report a problem. The knowledge base answers first; a ticket when it does not."""
    require_member(request)
    agency = request.tenant  # type: ignore[attr-defined]  # django-tenants middleware
    form = ProblemForm(request.POST or None, request.FILES or None)
    if request.method == "POST":

        def act(data: dict[str, Any]) -> Ticket:
            requester = actions.requester_for(agency, cast(User, request.user))
            service = data["service"]
            return actions.open_ticket(
                agency,
                requester,
                actions.NewTicket(
                    subject=data["subject"],
                    description=data["description"],
                    kind=data["kind"],
                    impact=data["impact"],
                    urgency=data["urgency"],
                    service_id=service.pk if service else None,
                    attachments=_files(data["attachments"]),
                ),
                channel=Channel.WEB,
                actor=cast(User, request.user),
            )

        ticket = submit(form, act)
        if ticket is not None:
            if request.POST.get("suggested"):
                record_outcome(
                    agency,
                    request.user,
                    outcome=Outcome.TICKET_OPENED,
                    service_id=ticket.service_id,
                )
            messages.success(request, _("Your ticket #%(id)s is registered.") % {"id": ticket.pk})
            return redirect("support:detail", pk=ticket.pk)
    return render(request, "support/new.html", {"form": form})


@login_required
@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """The htmx partial under the description: articles matching what is written so far."""
    require_member(request)
    text = " ".join(request.GET.get(k, "") for k in ("subject", "description", "text")).strip()
    service = request.GET.get("service") or None
    try:
        hits = knowledge.suggest(
            request.tenant,  # type: ignore[attr-defined]  # django-tenants middleware
            knowledge.check_search_text(text[:400]),
            int(service) if service else None,
        )
    except (ValueError, ValidationError):
        hits = []
    return render(request, "support/_suggestions.html", {"hits": hits, "text": text})


@login_required
@require_POST
def solved(request: HttpRequest) -> HttpResponse:
    """The person says an article answered it: recorded, and no ticket is opened."""
    require_member(request)
    try:
        record_outcome(
            request.tenant,  # type: ignore[attr-defined]  # django-tenants middleware
            request.user,
            outcome=Outcome.RESOLVED,
            article_kind=request.POST.get("kind"),
            article_id=int(request.POST.get("article", "")),
        )
    except (ValueError, ValidationError):
        messages.error(request, _("That article could not be found."))
        return redirect("support:new")
    messages.success(request, _("Good that it helped. No ticket was needed."))
    return redirect("home")


def _list(
    request: HttpRequest, qs: QuerySet[Ticket], title: str, template: str = "support/list.html"
) -> HttpResponse:
    state = request.GET.get("state", "open")
    if state == "open":
        qs = qs.filter(state__in=OPEN_TICKET_STATES)
    elif state == "done":
        qs = qs.exclude(state__in=OPEN_TICKET_STATES)
    page = paginate(request, qs.select_related("service", "requester").order_by("-created_at"))
    return render(
        request,
        template,
        {"page": page, "title": title, "state": state, "query": f"state={state}"},
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    require_member(request)
    return _list(
        request, Ticket.objects.filter(requester__user_id=request.user.pk), _("My tickets")
    )


@login_required
def agency_tickets(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    return _list(request, Ticket.objects.all(), _("The agency's tickets"))


def _visible_ticket(request: HttpRequest, pk: int) -> Ticket:
    # another person's ticket is as if it did not exist
    visible = policies.tickets(of_request(request), Ticket.objects.all())
    ticket = (
        visible.select_related("service", "requester")
        .prefetch_related("messages__attachments", "messages__author_person")
        .filter(pk=pk)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_member(request)
    ticket = _visible_ticket(request, pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        person = Person.objects.filter(user_id=request.user.pk).first()

        def act(data: dict[str, Any]) -> TicketMessage:
            return actions.add_message(
                request.tenant,  # type: ignore[attr-defined]  # django-tenants middleware
                ticket.pk,
                body=data["body"],
                channel=Channel.WEB,
                actor=cast(User, request.user),
                person=person,
                attachments=_files(data["attachments"]),
            )

        if submit(form, act) is not None:
            messages.success(request, _("Your reply is sent."))
            return redirect("support:detail", pk=ticket.pk)
    public = [m for m in ticket.messages.all() if not m.is_internal]
    return render(
        request,
        "support/detail.html",
        {"ticket": ticket, "conversation": public, "form": form},
    )


@login_required
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """A file of a visible ticket, always as a download (never rendered in the page)."""
    require_member(request)
    ticket = _visible_ticket(request, pk)
    for message in ticket.messages.all():
        if message.is_internal:
            continue
        for a in message.attachments.all():
            if a.pk == attachment_id:
                response = HttpResponse(bytes(a.content), content_type="application/octet-stream")
                response["Content-Disposition"] = content_disposition_header(True, a.filename)
                response["X-Content-Type-Options"] = "nosniff"
                return response
    raise Http404
