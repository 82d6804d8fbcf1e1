"""Who rates a ticket and who reads the results (tenants/viewer.py). Rating: the ticket's
requester, on the agency's host, while the agency is active (or whoever holds the signed link
of the ticket's resolution mail: services/support/satisfaction/links.py). Results: who reads
the agreement compliance figures (services/support/policies.py)."""

from __future__ import annotations

from services.support import policies as support
from services.support.models import Ticket
from tenants.models import AgencyState
from tenants.viewer import Viewer


def agency_is_active(viewer: Viewer) -> bool:
    return viewer.agency is not None and viewer.agency.state == AgencyState.ACTIVE


def rates(viewer: Viewer, ticket: Ticket) -> bool:
    """The requester of `ticket`, signed in on the agency's host."""
    return (
        agency_is_active(viewer)
        and viewer.member()
        and viewer.user_id is not None
        and ticket.requester.user_id == viewer.user_id
    )


def reads_results(viewer: Viewer) -> bool:
    """An agency's admins (their agency's results), or central IT's compliance readers."""
    if viewer.agency is not None:
        return support.reads_agency_compliance(viewer)
    return support.reads_all_compliance(viewer)


def sees_agents(viewer: Viewer) -> bool:
    """Results per agent: central IT only (an agency sees its results per service)."""
    return viewer.agency is None and support.reads_all_compliance(viewer)
