"""Visit pages on the central host: the dispatch board (visits awaiting a technician, from the
cross-agency index: no personal data), one visit with suggested technicians and their
distances, and a technician's own visits (address and contact only while the visit is
active)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import tenant_context

from portal.forms import apply_errors
from portal.paging import paginate
from services.crossindex.models import IndexEntry, IndexKind
from services.field import policies as dispatch_policies
from services.field.visits import actions, policies
from services.field.visits.models import (
    BOOKED_VISIT_STATES,
    FINISHED_VISIT_STATES,
    Visit,
    VisitState,
)
from services.field.visits.portal.forms import CompleteForm, DispatchForm
from tenants.counties import COUNTIES, COUNTY_CHOICES
from tenants.models import Agency, User
from tenants.viewer import of_request


def require_dispatcher(request: HttpRequest) -> None:
    if not dispatch_policies.dispatches(of_request(request)):
        raise PermissionDenied(_("Only the service desk dispatches visits."))


def require_technician(request: HttpRequest) -> None:
    if not dispatch_policies.is_technician(of_request(request)):
        raise PermissionDenied(_("This page is for technicians."))


def _agency(agency_id: int) -> Agency:
    agency = Agency.objects.members().filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    return agency


def _load(agency: Agency, pk: int) -> Visit:
    with tenant_context(agency):
        visit = (
            Visit.objects.select_related("ticket", "requester")
            .prefetch_related("windows")
            .filter(pk=pk)
            .first()
        )
    if visit is None:
        raise Http404
    return visit


# --- the dispatch board ------------------------------------------------------------------------


@login_required
def board(request: HttpRequest) -> HttpResponse:
    require_dispatcher(request)
    county = request.GET.get("county", "")
    qs = IndexEntry.objects.filter(kind=IndexKind.VISIT, state=VisitState.REQUESTED)
    if county in COUNTIES:
        qs = qs.filter(group=county)
    else:
        county = ""
    page = paginate(request, qs.select_related("agency").order_by("due_at", "id"))
    return render(
        request,
        "visits/board.html",
        {
            "page": page,
            "county": county,
            "counties": COUNTY_CHOICES,
            "query": f"county={county}" if county else "",
        },
    )


@login_required
def board_visit(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """One visit for dispatch: its windows, and the technicians who could take it."""
    require_dispatcher(request)
    agency = _agency(agency_id)
    visit = _load(agency, pk)
    form = DispatchForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.dispatch_visit(
                    agency,
                    cast(User, request.user),
                    pk,
                    technician_id=form.cleaned_data["technician"],
                    window_id=form.cleaned_data["window"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The visit is dispatched."))
                return redirect("visits:board")
        status = 400
    suggestions = []
    if visit.state == VisitState.REQUESTED:
        windows = {(w.starts_at, w.ends_at): w for w in visit.windows.all()}
        suggestions = [
            {"s": s, "windows": [windows[w] for w in s.free_windows if w in windows]}
            for s in actions.suggest_technicians(agency, visit)
        ]
    return render(
        request,
        "visits/board_visit.html",
        {
            "agency": agency,
            "visit": visit,
            "county": COUNTIES.get(visit.county),
            "suggestions": suggestions,
            "form": form,
            "posted_technician": form["technician"].value(),
        },
        status=status,
    )


# --- a technician's visits -----------------------------------------------------------------------


def _my_entries(user: User) -> QuerySet[IndexEntry]:
    """Booked visits whatever their day, and those finished today, earliest first."""
    zone = timezone.get_current_timezone()
    today = dt.datetime.combine(timezone.localdate(), dt.time(0, 0), tzinfo=zone)
    return (
        IndexEntry.objects.filter(kind=IndexKind.VISIT, assignee=user)
        .filter(
            Q(state__in=BOOKED_VISIT_STATES)
            | Q(state__in=FINISHED_VISIT_STATES, updated_at__gte=today)
        )
        .select_related("agency")
        .order_by("due_at", "id")
    )


def _rows(
    user: User, entries: list[IndexEntry], forms: dict[tuple[int, int], CompleteForm] | None = None
) -> list[dict[str, Any]]:
    """The visits of a page of index entries, loaded inside their agencies' schemas (one query
    per agency on the page). The visit itself has the last word on its technician."""
    by_agency: dict[int, list] = defaultdict(list)
    for entry in entries:
        by_agency[entry.agency_id].append(entry)
    loaded: dict[tuple[int, int], Visit] = {}
    for rows in by_agency.values():
        agency = rows[0].agency
        with tenant_context(agency):
            for row in Visit.objects.select_related("ticket", "requester").filter(
                pk__in=[e.local_id for e in rows], technician_id=user.pk
            ):
                loaded[(agency.pk, row.pk)] = row
    forms = forms or {}
    out = []
    for entry in entries:
        visit = loaded.get((entry.agency_id, entry.local_id))
        if visit is None:
            continue
        key = (entry.agency_id, visit.pk)
        out.append(
            {
                "agency": entry.agency,
                "visit": visit,
                # the rule of issue 6: the address only while the visit is active
                "shows_place": visit.technician_id == user.pk and visit.is_active(),
                "form": forms.get(key) or CompleteForm(prefix=f"v{entry.agency_id}-{visit.pk}"),
            }
        )
    return out


def _mine_page(
    request: HttpRequest,
    forms: dict[tuple[int, int], CompleteForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = paginate(request, _my_entries(cast(User, request.user)))
    return render(
        request,
        "visits/mine.html",
        {"page": page, "rows": _rows(cast(User, request.user), list(page), forms)},
        status=status,
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    require_technician(request)
    return _mine_page(request)


def _may_work(request: HttpRequest) -> None:
    if not policies.works_visits(of_request(request)):
        raise PermissionDenied(_("This page is for technicians."))


@login_required
@require_POST
def arrive(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    _may_work(request)
    agency = _agency(agency_id)
    try:
        actions.mark_arrived(agency, cast(User, request.user), pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You are marked as on site."))
    return redirect("visits:mine")


@login_required
@require_POST
def complete(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    _may_work(request)
    agency = _agency(agency_id)
    form = CompleteForm(request.POST, prefix=f"v{agency.pk}-{pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.complete_visit(
                agency,
                cast(User, request.user),
                pk,
                done=data["outcome"] == "done",
                travel_minutes=data["travel_minutes"],
                on_site_minutes=data["on_site_minutes"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The visit is closed."))
            return redirect("visits:mine")
    return _mine_page(request, {(agency.pk, pk): form}, status=400)
