"""The cost split's items of the to-do list (services/agencies/todo.py), read-only: disputes
waiting for finance (on the central host) and statements waiting for an agency admin's
acceptance (on the agency's host). At most two queries each."""

from __future__ import annotations

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from services.costs import policies
from services.costs.models import Dispute, DisputeState, Statement, StatementState
from tenants.viewer import Viewer

# (key, label, count, url): an item of the to-do list
Item = tuple[str, str, int, str]


def open_disputes(viewer: Viewer) -> tuple[int, int | None] | None:
    """(open disputes, the earliest period with one) for finance on the central host; None
    for anyone else."""
    if not policies.writes_split(viewer):
        return None
    found = policies.disputes(viewer, Dispute.objects.filter(state=DisputeState.OPEN)).aggregate(
        n=Count("id"), first=Min("period_id")
    )
    return int(found["n"]), found["first"]


def statements_to_accept(viewer: Viewer) -> int | None:
    """The host agency's published statements not yet accepted, for its admins; None for
    anyone else."""
    agency = policies.own_agency(viewer)
    if agency is None:
        return None
    qs = policies.statements(viewer, Statement.objects.filter(state=StatementState.PUBLISHED))
    return qs.filter(period__in=policies.published_periods()).count()


def todo_items(viewer: Viewer) -> list[Item]:
    out: list[Item] = []
    disputes = open_disputes(viewer)
    if disputes is not None:
        count, first = disputes
        url = reverse("costs:periods")
        if first is not None:
            url = reverse("costs:disputes", args=[first]) + "?" + urlencode({"state": "open"})
        out.append(("disputes", _("Disputes"), count, url))
    statements = statements_to_accept(viewer)
    if statements is not None:
        out.append(
            ("statements_to_accept", _("Statements to accept"), statements, reverse("costs:agency"))
        )
    return out
