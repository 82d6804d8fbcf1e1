"""Satisfaction results of a month, per agency, service and agent (the compliance page):
ratings given in the month (local time, as the compliance report). One grouped query per
agency schema, then one for the services' names and one for the agents' names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django_tenants.utils import tenant_context

from services.catalogue.models import Service
from services.support.satisfaction.models import Rating
from tenants.models import Agency, User

SATISFIED_FROM = 4  # a score of 4 or 5 counts as satisfied


@dataclass
class Figures:
    label: str
    ratings: int = 0
    total: int = 0
    satisfied: int = 0

    def add(self, ratings: int, total: int, satisfied: int) -> None:
        self.ratings += ratings
        self.total += total
        self.satisfied += satisfied

    @property
    def average(self) -> float | None:
        return round(self.total / self.ratings, 1) if self.ratings else None

    @property
    def satisfied_percent(self) -> int | None:
        return self.satisfied * 100 // self.ratings if self.ratings else None


@dataclass
class Results:
    by_agency: list[Figures] = field(default_factory=list)
    by_service: list[Figures] = field(default_factory=list)
    by_agent: list[Figures] = field(default_factory=list)


def results(
    agencies: Iterable[Agency], start: dt.datetime, end: dt.datetime, *, agents: bool
) -> Results:
    """Ratings given in [start, end) in `agencies`; per agent only when `agents`."""
    by_agency: list[Figures] = []
    services: dict[int | None, Figures] = {}
    by_agent: dict[int | None, Figures] = {}
    for agency in agencies:
        own = Figures(agency.name)
        with tenant_context(agency):
            rows = (
                Rating.objects.filter(rated_at__gte=start, rated_at__lt=end)
                .values("ticket__service_id", "agent_id")
                .annotate(
                    n=Count("id"),
                    total=Sum("score"),
                    good=Count("id", filter=Q(score__gte=SATISFIED_FROM)),
                )
                .order_by()
            )
            for row in rows:
                counts = (row["n"], row["total"] or 0, row["good"])
                own.add(*counts)
                services.setdefault(row["ticket__service_id"], Figures("")).add(*counts)
                by_agent.setdefault(row["agent_id"], Figures("")).add(*counts)
        by_agency.append(own)
    names = dict(
        Service.objects.filter(pk__in=[k for k in services if k]).values_list("pk", "name")
    )
    for key, figures in services.items():
        figures.label = names.get(key, "") if key else ""
    out = Results(by_agency=by_agency, by_service=sorted(services.values(), key=_order))
    if agents:
        people = dict(
            User.objects.filter(pk__in=[k for k in by_agent if k]).values_list("pk", "username")
        )
        for key, figures in by_agent.items():
            figures.label = people.get(key, "") if key else ""
        out.by_agent = sorted(by_agent.values(), key=_order)
    return out


def _order(figures: Figures) -> tuple[int, str]:
    return (-figures.ratings, figures.label)
