"""Queries of visits: an agency's own visits (its host), and on the central host the dispatch
list (from the cross-agency index), technician suggestions, the technicians and a
technician's own visits."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import graphene
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context
from graphene import relay
from graphene_django import DjangoConnectionField

from api.core.permissions import require_central
from api.core.refs import agency_row_ref, central_id
from api.visits.types import (
    DispatchItem,
    TechnicianNode,
    TechnicianSuggestion,
    TechnicianVisit,
    VisitNode,
    VisitStateEnum,
)
from services.crossindex.models import IndexEntry, IndexKind
from services.field.models import Technician
from services.field.visits import actions
from services.field.visits.models import (
    BOOKED_VISIT_STATES,
    FINISHED_VISIT_STATES,
    Visit,
    VisitState,
    VisitWindow,
)
from tenants.roles import SERVICE_DESK, TICKET_AGENTS, Role

MAX_ROWS = 100


def _value(state) -> str:
    return getattr(state, "value", state)


def load_visits(agency, pks) -> list[Visit]:
    """Visits with what their fields read, loaded inside the agency's schema (3 queries)."""
    with tenant_context(agency):
        rows = list(
            Visit.objects.select_related("ticket", "requester")
            .prefetch_related("windows")
            .filter(pk__in=list(pks))
        )
    for row in rows:
        row._samnav_agency = agency
    return rows


def load_visit(agency, pk: int) -> Visit | None:
    rows = load_visits(agency, [pk])
    return rows[0] if rows else None


def _windows_by_visit(agency, pks) -> dict[int, list[VisitWindow]]:
    out: dict[int, list[VisitWindow]] = defaultdict(list)
    with tenant_context(agency):
        for window in VisitWindow.objects.filter(visit_id__in=list(pks)).order_by(
            "starts_at", "id"
        ):
            out[window.visit_id].append(window)
    return out


class VisitsQueries(graphene.ObjectType):
    visits = DjangoConnectionField(
        VisitNode,
        state=VisitStateEnum(),
        description="The visits of this host's agency (admins all, staff their own).",
    )
    visit = relay.Node.Field(VisitNode)
    visits_to_dispatch = graphene.List(
        graphene.NonNull(DispatchItem),
        required=True,
        states=graphene.List(graphene.NonNull(VisitStateEnum)),
        county=graphene.String(),
        agency=graphene.String(description="An agency's slug."),
        limit=graphene.Int(default_value=50, description="At most 100."),
        description="Visits of every agency, earliest first (central IT's dispatchers). "
        "Default: those waiting for a technician.",
    )
    suggest_technicians = graphene.List(
        graphene.NonNull(TechnicianSuggestion),
        required=True,
        visit=graphene.ID(required=True),
        description="Technicians who cover the visit's county and are free in one of its "
        "windows, nearest first.",
    )
    technicians = DjangoConnectionField(
        TechnicianNode, county=graphene.String(description="Who covers this county code.")
    )
    my_visits = graphene.List(
        graphene.NonNull(TechnicianVisit),
        required=True,
        include_finished=graphene.Boolean(default_value=False),
        limit=graphene.Int(default_value=50, description="At most 100."),
        description="Your visits as a technician, earliest first: booked and under way "
        "(and finished, when asked).",
    )

    def resolve_visits(self, info, state=None, **kwargs):
        qs = Visit.objects.order_by("-created_at", "-id")
        return qs.filter(state=_value(state)) if state else qs

    def resolve_visits_to_dispatch(
        self,
        info: graphene.ResolveInfo,
        states: list[str] | None = None,
        county: str | None = None,
        agency: str | None = None,
        limit: int = 50,
        **kwargs: Any,
    ) -> list[DispatchItem]:
        require_central(info, *SERVICE_DESK)
        wanted = [_value(s) for s in states] if states else [VisitState.REQUESTED]
        qs = IndexEntry.objects.filter(kind=IndexKind.VISIT, state__in=wanted)
        if county:
            qs = qs.filter(group=county.upper())
        if agency:
            qs = qs.filter(agency__slug=agency)
        entries = list(
            qs.select_related("agency", "assignee").order_by("due_at", "id")[
                : max(1, min(limit, MAX_ROWS))
            ]
        )
        by_agency: dict[int, list[IndexEntry]] = defaultdict(list)
        for entry in entries:
            by_agency[entry.agency_id].append(entry)
        windows: dict[tuple[int, int], list] = {}
        for agency_rows in by_agency.values():
            found = _windows_by_visit(agency_rows[0].agency, [e.local_id for e in agency_rows])
            for e in agency_rows:
                windows[(e.agency_id, e.local_id)] = found.get(e.local_id, [])
        return [
            DispatchItem(
                visit_id=central_id("Visit", e.agency_id, e.local_id),
                agency=e.agency,
                state=e.state,
                county=e.group,
                priority=e.priority,
                due_at=e.due_at,
                technician=e.assignee.username if e.assignee else None,
                windows=windows[(e.agency_id, e.local_id)],
            )
            for e in entries
        ]

    def resolve_suggest_technicians(self, info, visit):
        require_central(info, *SERVICE_DESK)
        try:
            agency, pk = agency_row_ref(info, visit, "Visit", "visit")
        except ValidationError:
            return []
        row = load_visit(agency, pk)
        if row is None:
            return []
        ids = {(w.starts_at, w.ends_at): w for w in row.windows.all()}
        return [
            TechnicianSuggestion(
                technician=s.technician,
                distance_km=s.distance_km,
                free_windows=[ids[w] for w in s.free_windows],
            )
            for s in actions.suggest_technicians(agency, row)
        ]

    def resolve_technicians(self, info, county=None, **kwargs):
        require_central(info, *TICKET_AGENTS)
        qs = Technician.objects.order_by("user__username", "id")
        return qs.filter(counties__contains=[county.upper()]) if county else qs

    def resolve_my_visits(
        self, info: graphene.ResolveInfo, include_finished: bool = False, limit: int = 50
    ) -> list[Visit]:
        user = require_central(info, Role.TECHNICIAN)
        states = [*BOOKED_VISIT_STATES, *(FINISHED_VISIT_STATES if include_finished else ())]
        entries = list(
            IndexEntry.objects.filter(kind=IndexKind.VISIT, assignee=user, state__in=states)
            .select_related("agency")
            .order_by("due_at", "id")[: max(1, min(limit, MAX_ROWS))]
        )
        by_agency: dict[int, list[IndexEntry]] = defaultdict(list)
        for entry in entries:
            by_agency[entry.agency_id].append(entry)
        loaded: dict[tuple[int, int], Visit] = {}
        for agency_rows in by_agency.values():
            agency = agency_rows[0].agency
            for row in load_visits(agency, [e.local_id for e in agency_rows]):
                # the index names the technician; the visit itself has the last word
                if row.technician_id == user.pk:
                    loaded[(agency.pk, row.pk)] = row
        return [
            loaded[(e.agency_id, e.local_id)]
            for e in entries
            if (e.agency_id, e.local_id) in loaded
        ]
