"""Read helpers of joint projects, for the cost split (services/costs/) and the API."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from services.projects.models import ProjectShare


def shares(project_id: int) -> dict[int, Decimal]:
    """Agency id -> agreed weight of one project, only agencies with a weight above zero.
    The split of a cost is weight / sum of weights. Empty when the project has no such share
    (or does not exist)."""
    return shares_for_projects([project_id])[project_id]


def shares_for_projects(ids: Iterable[int]) -> dict[int, dict[int, Decimal]]:
    """Project id -> (agency id -> weight) for several projects in one query. Every requested
    id is a key (an empty dict when it has no share above zero)."""
    wanted = list(dict.fromkeys(ids))
    out: dict[int, dict[int, Decimal]] = {pk: {} for pk in wanted}
    if not wanted:
        return out
    rows = (
        ProjectShare.objects.filter(project_id__in=wanted, weight__gt=0)
        .order_by("project_id", "agency_id")
        .values_list("project_id", "agency_id", "weight")
    )
    for project_id, agency_id, weight in rows:
        out[project_id][agency_id] = weight
    return out
