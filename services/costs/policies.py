"""Who sees and does what in the cost split, and what of it an agency sees (tenants/viewer.py;
docs/decisions/2026-12-07-viewer-and-policies.md).

Finance and platform admins (central host) see everything; an agency's admin (on its host)
sees the periods and only their own agency's statement, lines and disputes. Pools, keys and
runs are central IT's. Asked by the GraphQL types (api/costs/), the portal's pages
(costs/portal/), the downloads and the exports; none of them tests roles itself.

Drafts stay drafts: an agency sees nothing of a month (its lines, reports, the comparison
with the month before, charts, exports, PDFs) until finance publishes its statements
(preliminary) or closes it. Every reader of agency figures filters through
`published_periods` or `PUBLISHED_STATES` here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from services.costs.models import AllocationLine, Dispute, Period, PeriodState, Statement
from tenants.models import Agency, User
from tenants.roles import FINANCE_OFFICERS, Role
from tenants.viewer import Viewer

M = TypeVar("M", bound=Model)

PUBLISHED_STATES = (PeriodState.PRELIMINARY, PeriodState.CLOSED)


def is_published(period: Period) -> bool:
    return period.state in PUBLISHED_STATES


def published_periods(queryset: QuerySet[Period] | None = None) -> QuerySet[Period]:
    """The periods an agency may see figures of (of `queryset`, or of all)."""
    return (Period.objects.all() if queryset is None else queryset).filter(
        state__in=PUBLISHED_STATES
    )


def agency_lines(queryset: QuerySet[AllocationLine], agency: Agency) -> QuerySet[AllocationLine]:
    """`agency`'s allocation lines (of `queryset`) in published periods only."""
    return queryset.filter(agency=agency, period__state__in=PUBLISHED_STATES)


# Predicates of a viewer.


def reads_split(viewer: Viewer) -> bool:
    """Finance or platform admin, on the central host: every agency's figures, any period."""
    return viewer.central(*FINANCE_OFFICERS)


def writes_split(viewer: Viewer) -> bool:
    """Finance, on the central host (the actions check it again)."""
    return viewer.central(Role.FINANCE)


def own_agency(viewer: Viewer) -> Agency | None:
    """The agency whose own figures the viewer reads (its admin, on its host), else None."""
    return viewer.admin_agency


# Rows a viewer may see.


def periods(viewer: Viewer, queryset: QuerySet[Period]) -> QuerySet[Period]:
    """Months and their states are no secret: finance, and an agency's admin."""
    if reads_split(viewer) or own_agency(viewer) is not None:
        return queryset
    return queryset.none()


def central_rows(viewer: Viewer, queryset: QuerySet[M]) -> QuerySet[M]:
    """Pools, keys and runs: finance and platform admins, on the central host."""
    return viewer.central_rows(queryset, *FINANCE_OFFICERS)


def _agency_rows(
    viewer: Viewer, queryset: QuerySet[M], own: Callable[[QuerySet[M], Agency], QuerySet[M]]
) -> QuerySet[M]:
    if reads_split(viewer):
        return queryset
    agency = own_agency(viewer)
    return queryset.none() if agency is None else own(queryset, agency)


def lines(viewer: Viewer, queryset: QuerySet[AllocationLine]) -> QuerySet[AllocationLine]:
    """Finance's: every line; an agency admin's: its own, of published months only."""
    return _agency_rows(viewer, queryset, agency_lines)


def statements(viewer: Viewer, queryset: QuerySet[Statement]) -> QuerySet[Statement]:
    """Finance's: every statement; an agency admin's: its own agency's."""
    return _agency_rows(viewer, queryset, lambda qs, agency: qs.filter(agency=agency))


def disputes(viewer: Viewer, queryset: QuerySet[Dispute]) -> QuerySet[Dispute]:
    """Finance's: every dispute; an agency admin's: its own agency's."""
    return _agency_rows(viewer, queryset, lambda qs, agency: qs.filter(agency=agency))


# Checks of the actions (an actor, whatever the host: the actions are called by tasks too).


def changes_split(viewer: Viewer) -> bool:
    """The actions' writes of the split: finance, centrally, from any host."""
    return viewer.holds_central(Role.FINANCE)


def answers_for_agency(viewer: Viewer) -> bool:
    """An admin of the agency acted on, from any host: accepts and disputes its statement."""
    return viewer.member(Role.AGENCY_ADMIN)


def require_finance(actor: User | None) -> None:
    """Writes of the split are finance's (central role)."""
    if not changes_split(Viewer.of(actor)):
        raise PermissionDenied(_("This needs the finance role."))


def require_agency_admin(actor: User | None, agency: Agency | None) -> Agency:
    """The agency, when `actor` is its admin; refused otherwise."""
    if agency is None or not answers_for_agency(Viewer.of(actor, agency)):
        raise PermissionDenied(_("This needs the agency admin role of this agency."))
    return agency


def downloads_on_host(viewer: Viewer) -> bool:
    """An API token's owner reaches an agency host's downloads only with a role in that agency,
    as a session does (the download views check their rows themselves)."""
    return viewer.member()
