"""Correlation across agencies: tickets about one service from several agencies in a short
window open a major incident (design: what a shared IT department sees and one agency cannot).

One run (`correlate`, every minute from beat through services/incidents/tasks.py):
1. Under a transaction-scoped advisory lock (runs take turns; the partial unique constraint
   `one_open_incident_per_service` is the backstop), read the open incidents.
2. One aggregate query over the cross-agency index: tickets with a service, created in the
   window (SAMNAV_MAJOR_INCIDENT_MINUTES, default 30) and not linked to any incident yet,
   grouped by service, counting distinct agencies. A service without an open incident that
   reaches SAMNAV_MAJOR_INCIDENT_AGENCIES (default 3) opens one.
3. Every unlinked ticket about a service with an open incident, created since the incident's
   window started, is linked: tickets arriving while the incident is open join it.
4. The admins of every agency that reported the incident or subscribes to the service (active
   or ending subscription rows of the index) and has not been told yet are mailed once
   (IncidentNotice), after commit. A mail names the service and counts, never another agency.

Idempotent: a second run with nothing new links and mails nothing. Linked tickets never count
again, so a resolved incident's tickets cannot reopen it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from services.catalogue.models import Service
from services.crossindex.models import IndexEntry, IndexKind
from services.incidents.models import IncidentNotice, IncidentState, IncidentTicket, MajorIncident
from services.people.interface import admin_addresses, send_after_commit
from tenants.models import Agency, AgencyState

# pg_advisory_xact_lock key of the correlation run ("SAMNAV" in ASCII).
LOCK_KEY = 0x53414D4E4156
SUBSCRIBED_STATES = ("active", "ending")


def agency_threshold() -> int:
    return int(getattr(settings, "SAMNAV_MAJOR_INCIDENT_AGENCIES", 3))


def window_minutes() -> int:
    return int(getattr(settings, "SAMNAV_MAJOR_INCIDENT_MINUTES", 30))


@dataclass
class CorrelationResult:
    opened: list[int] = field(default_factory=list)  # incident ids
    linked: int = 0
    notified: int = 0  # agencies told

    def as_dict(self) -> dict:
        return {"opened": len(self.opened), "linked": self.linked, "notified": self.notified}


def unlinked(queryset: QuerySet[IndexEntry]) -> QuerySet[IndexEntry]:
    """Index rows of tickets not yet linked to any incident."""
    linked = IncidentTicket.objects.filter(
        agency_id=OuterRef("agency_id"), ticket_id=OuterRef("local_id")
    )
    return queryset.filter(~Exists(linked))


def correlate(now: dt.datetime | None = None) -> CorrelationResult:
    now = now or timezone.now()
    minutes = window_minutes()
    since = now - dt.timedelta(minutes=minutes)
    tickets = IndexEntry.objects.filter(
        kind=IndexKind.TICKET, service__isnull=False, is_proactive=False, created_at__lte=now
    )
    result = CorrelationResult()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        incidents = {
            i.service_id: i for i in MajorIncident.objects.filter(state=IncidentState.OPEN)
        }
        crossing = dict(
            unlinked(tickets.filter(created_at__gt=since))
            .exclude(service_id__in=list(incidents))
            .values("service_id")
            .annotate(agencies=Count("agency_id", distinct=True))
            .filter(agencies__gte=agency_threshold())
            .values_list("service_id", "agencies")
        )
        names = dict(Service.objects.filter(pk__in=list(crossing)).values_list("pk", "name"))
        for service_id, agencies in sorted(crossing.items()):
            incident = MajorIncident.objects.create(
                service_id=service_id,
                opened_at=now,
                window_starts_at=since,
                summary=_(
                    "Tickets about %(service)s from %(agencies)s agencies within %(minutes)s "
                    "minutes."
                )
                % {"service": names[service_id], "agencies": agencies, "minutes": minutes},
            )
            incidents[service_id] = incident
            result.opened.append(incident.pk)
        if not incidents:
            return result
        result.linked = _link(incidents, tickets)
        result.notified = _notify(incidents, set(result.opened))
    return result


def _link(incidents: dict[int, MajorIncident], tickets: QuerySet[IndexEntry]) -> int:
    """Link every unlinked ticket about each open incident's service since its window."""
    wanted = Q()
    for incident in incidents.values():
        wanted |= Q(service_id=incident.service_id, created_at__gte=incident.window_starts_at)
    rows = list(unlinked(tickets.filter(wanted)).values_list("service_id", "agency_id", "local_id"))
    IncidentTicket.objects.bulk_create(
        [
            IncidentTicket(incident=incidents[service_id], agency_id=agency_id, ticket_id=local_id)
            for service_id, agency_id, local_id in rows
        ]
    )
    if rows:
        counts = dict(
            IncidentTicket.objects.filter(incident__in=list(incidents.values()))
            .values("incident_id")
            .annotate(n=Count("agency_id", distinct=True))
            .values_list("incident_id", "n")
        )
        for incident in incidents.values():
            if counts.get(incident.pk, 0) != incident.agencies_reported:
                incident.agencies_reported = counts.get(incident.pk, 0)
                incident.save(update_fields=["agencies_reported"])
    return len(rows)


def _notify(incidents: dict[int, MajorIncident], opened: set[int]) -> int:
    """Mail the admins of reporting and subscribed agencies not told yet (once per agency)."""
    by_id = {i.pk: i for i in incidents.values()}
    linked: dict[tuple[int, int], int] = defaultdict(int)  # (incident, agency) -> tickets
    for incident_id, agency_id in IncidentTicket.objects.filter(
        incident_id__in=list(by_id)
    ).values_list("incident_id", "agency_id"):
        linked[(incident_id, agency_id)] += 1
    wanted = set(linked)
    for service_id, agency_id in (
        IndexEntry.objects.filter(
            kind=IndexKind.SUBSCRIPTION,
            state__in=SUBSCRIBED_STATES,
            service_id__in=list(incidents),
        )
        .values_list("service_id", "agency_id")
        .distinct()
    ):
        wanted.add((incidents[service_id].pk, agency_id))
    told = set(
        IncidentNotice.objects.filter(incident_id__in=list(by_id)).values_list(
            "incident_id", "agency_id"
        )
    )
    untold = wanted - told
    active = {
        a.pk: a
        for a in Agency.objects.members().filter(
            state=AgencyState.ACTIVE, pk__in={agency_id for _i, agency_id in untold}
        )
    }
    due = sorted((i, a) for i, a in untold if a in active)
    if not due:
        return 0
    IncidentNotice.objects.bulk_create(
        [IncidentNotice(incident_id=i, agency_id=a, reported=(i, a) in linked) for i, a in due]
    )
    addresses = admin_addresses(active[a] for _i, a in due)
    names = dict(
        Service.objects.filter(pk__in=[i.service_id for i in by_id.values()]).values_list(
            "pk", "name"
        )
    )
    for incident_id, agency_id in due:
        incident = by_id[incident_id]
        subject, body = opened_mail(
            names[incident.service_id], incident, linked.get((incident_id, agency_id), 0)
        )
        send_after_commit(subject, body, addresses.get(agency_id, []), agency=active[agency_id])
    return len(due)


def opened_mail(service_name: str, incident: MajorIncident, own_tickets: int) -> tuple[str, str]:
    subject = _("Major incident: %(service)s") % {"service": service_name}
    lines = [
        _(
            "Central IT has opened a major incident for the service %(service)s: tickets about "
            "it arrived from %(agencies)s agencies within a short time."
        )
        % {"service": service_name, "agencies": incident.agencies_reported},
        "",
    ]
    if own_tickets:
        lines.append(
            _(
                "%(count)s of your agency's tickets are linked to it; they will be answered "
                "together."
            )
            % {"count": own_tickets}
        )
    else:
        lines.append(
            _(
                "Your agency subscribes to the service and may be affected. There is no need to "
                "report it again."
            )
        )
    lines += ["", _("You will be told when it is resolved.")]
    return subject, "\n".join(lines)
