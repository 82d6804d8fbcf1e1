"""The major-incident console. On the central host (platform admins and service-desk agents):
the open incidents with their linked tickets grouped per agency, and on one incident's page
the three things the desk does (link a ticket by agency and number, post one update to every
reporter and subscribed agency, resolve everything at once), all through
services/incidents/actions.py. On an agency's host its admins see their own part, read-only
(services/incidents/policies.py)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.forms import submit
from services.crossindex.models import IndexEntry, IndexKind
from services.incidents import actions, policies
from services.incidents.forms import LinkForm, ResolveForm, UpdateForm
from services.incidents.models import IncidentState, IncidentTicket, MajorIncident
from services.support.interface import TicketState
from tenants.models import User
from tenants.viewer import of_request

RESOLVED_SHOWN = 10


def _require_desk(request: HttpRequest) -> None:
    viewer = of_request(request)
    if not (viewer.on_central_host and policies.resolves_incidents(viewer)):
        raise PermissionDenied(_("This page is for central IT's service desk."))


def _states(links: list[IncidentTicket]) -> dict[tuple[int, int], str]:
    """(agency id, ticket id) -> the ticket's state label, from the index (one query)."""
    if not links:
        return {}
    rows = IndexEntry.objects.filter(
        kind=IndexKind.TICKET,
        agency_id__in={link.agency_id for link in links},
        local_id__in={link.ticket_id for link in links},
    ).values_list("agency_id", "local_id", "state")
    return {(a, t): str(TicketState(s).label) for a, t, s in rows if s in TicketState.values}


def _grouped(incidents: list[MajorIncident]) -> list[dict[str, Any]]:
    """Each incident with its linked tickets grouped per agency, and each ticket's state."""
    links = [link for incident in incidents for link in incident.tickets.all()]
    states = _states(links)
    out = []
    for incident in incidents:
        groups: dict[int, dict[str, Any]] = defaultdict(dict)
        for link in incident.tickets.all():
            group = groups[link.agency_id]
            group.setdefault("agency", link.agency)
            group.setdefault("tickets", []).append(
                (link.ticket_id, states.get((link.agency_id, link.ticket_id), "–"))
            )
        out.append({"incident": incident, "groups": list(groups.values())})
    return out


def _listed(qs: QuerySet[MajorIncident]) -> tuple[list[MajorIncident], list[MajorIncident]]:
    qs = qs.select_related("service")
    opened = list(qs.filter(state=IncidentState.OPEN).order_by("-opened_at", "-id"))
    resolved = list(
        qs.filter(state=IncidentState.RESOLVED).order_by("-resolved_at", "-id")[:RESOLVED_SHOWN]
    )
    return opened, resolved


@login_required
def console(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    viewer = of_request(request)
    opened, resolved = _listed(policies.incidents(viewer, MajorIncident.objects.all()))
    return render(
        request,
        "incidents/console.html",
        {
            "opened": _grouped(opened),
            "resolved": _grouped(resolved),
            # "link this ticket" from a ticket's page: carried to the incident chosen
            "link_query": request.GET.urlencode() if request.GET.get("ticket") else "",
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    viewer = of_request(request)
    incident = (
        policies.incidents(viewer, MajorIncident.objects.select_related("service"))
        .filter(pk=pk)
        .first()
    )
    if incident is None:
        raise Http404
    actor = cast(User, request.user)
    do = request.POST.get("do") if request.method == "POST" else None
    initial = {k: request.GET[k] for k in ("agency", "ticket") if request.GET.get(k)}
    link_form = LinkForm(request.POST if do == "link" else None, initial=initial)
    update_form = UpdateForm(request.POST if do == "update" else None)
    resolve_form = ResolveForm(request.POST if do == "resolve" else None)
    done = None
    if do == "link":
        done = submit(
            link_form,
            lambda d: actions.link_ticket(
                actor, incident.pk, agency_slug=d["agency"], ticket_id=d["ticket"]
            ),
            {"incident": None},
        )
        if done is not None:
            messages.success(request, _("The ticket is linked."))
    elif do == "update":
        result = submit(
            update_form,
            lambda d: actions.post_update(actor, incident.pk, message=d["message"]),
            {"incident": None},
        )
        if result is not None:
            done = result
            messages.success(
                request,
                _("The update is posted. Tickets: %(tickets)s. Agencies mailed: %(agencies)s.")
                % {"tickets": result.tickets, "agencies": result.agencies},
            )
    elif do == "resolve":
        done = submit(
            resolve_form,
            lambda d: actions.resolve_incident(
                actor, incident.pk, note=d["note"], resolve_tickets=d["resolve_tickets"]
            ),
            {"incident": None},
        )
        if done is not None:
            messages.success(request, _("The major incident is resolved."))
    if done is not None:
        return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "incidents/detail.html",
        {
            "row": _grouped([incident])[0],
            "is_open": incident.state == IncidentState.OPEN,
            "link_form": link_form,
            "update_form": update_form,
            "resolve_form": resolve_form,
        },
        status=400 if do else 200,
    )


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    """An agency's admins: the incidents that concern the agency, with its own tickets."""
    viewer = of_request(request)
    if policies.incident_agency(viewer) is None:
        raise PermissionDenied(_("This page is for the agency's admins."))
    opened, resolved = _listed(policies.incidents(viewer, MajorIncident.objects.all()))
    return render(
        request,
        "incidents/agency.html",
        {"opened": _grouped(opened), "resolved": _grouped(resolved)},
    )
