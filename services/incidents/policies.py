"""Who sees which major incidents, and which of their linked tickets (tenants/viewer.py;
docs/decisions/2026-12-07-viewer-and-policies.md). Asked by the GraphQL type (api/incidents/);
resolving asks `resolves_incidents` (incidents/actions.py).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from services.crossindex.models import IndexEntry, IndexKind
from services.incidents.correlation import SUBSCRIBED_STATES
from services.incidents.models import IncidentNotice, IncidentTicket, MajorIncident
from tenants.models import Agency
from tenants.roles import SERVICE_DESK
from tenants.viewer import Viewer


def sees_every_incident(viewer: Viewer) -> bool:
    """Any central role, on the central host: every incident with every linked ticket."""
    return viewer.central()


def incident_agency(viewer: Viewer) -> Agency | None:
    """The agency whose admins ask, on its host (they see what concerns it), else None."""
    return viewer.admin_agency


def incidents(viewer: Viewer, queryset: QuerySet[MajorIncident]) -> QuerySet[MajorIncident]:
    """Central IT (`sees_every_incident`): every incident, each with every linked ticket. An
    agency's admins (its host): the incidents of services it subscribes to, reported, or was
    told about, each with its own linked tickets only. Nobody else any."""
    links = IncidentTicket.objects.select_related("agency").order_by("agency_id", "ticket_id")
    if sees_every_incident(viewer):
        return queryset.prefetch_related(Prefetch("tickets", queryset=links))
    agency = incident_agency(viewer)
    if agency is None:
        return queryset.none()
    subscribed = IndexEntry.objects.filter(
        kind=IndexKind.SUBSCRIPTION, agency=agency, state__in=SUBSCRIBED_STATES
    ).values("service_id")
    reported = IncidentTicket.objects.filter(incident=OuterRef("pk"), agency=agency)
    told = IncidentNotice.objects.filter(incident=OuterRef("pk"), agency=agency)
    return queryset.filter(
        Q(service_id__in=subscribed) | Exists(reported) | Exists(told)
    ).prefetch_related(Prefetch("tickets", queryset=links.filter(agency=agency)))


def resolves_incidents(viewer: Viewer) -> bool:
    """Who resolves a major incident: platform admins and the service desk, centrally, from
    any host."""
    return viewer.holds_central(*SERVICE_DESK)
