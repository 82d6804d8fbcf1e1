"""Who may do what in the cost split, and what of it an agency sees.

Drafts stay drafts: an agency sees nothing of a month (its lines, reports, the comparison
with the month before, charts, exports, PDFs) until finance publishes its statements
(preliminary) or closes it. Every reader of agency figures filters through
`published_periods` or `PUBLISHED_STATES` here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from services.costs.models import Period, PeriodState
from tenants import access
from tenants.roles import FINANCE_OFFICERS, Role

PUBLISHED_STATES = (PeriodState.PRELIMINARY, PeriodState.CLOSED)


def is_published(period: Period) -> bool:
    return period.state in PUBLISHED_STATES


def published_periods(queryset=None):
    """The periods an agency may see figures of (of `queryset`, or of all)."""
    return (Period.objects.all() if queryset is None else queryset).filter(
        state__in=PUBLISHED_STATES
    )


def agency_lines(queryset, agency):
    """`agency`'s allocation lines (of `queryset`) in published periods only."""
    return queryset.filter(agency=agency, period__state__in=PUBLISHED_STATES)


def require_finance(actor) -> None:
    """Writes of the split are finance's (central role)."""
    if not access.has_central_role(actor, Role.FINANCE):
        raise PermissionDenied(_("This needs the finance role."))


def require_agency_admin(actor, agency) -> None:
    if agency is None or not access.has_agency_role(actor, agency, Role.AGENCY_ADMIN):
        raise PermissionDenied(_("This needs the agency admin role of this agency."))


def is_reader(actor) -> bool:
    return access.has_central_role(actor, *FINANCE_OFFICERS)
