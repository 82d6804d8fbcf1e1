"""Demo major incidents: one reported five hours before loading and resolved since (VPN, four
agencies) and one open now, reported an hour ago (e-mail, three agencies, with every subscriber
of the e-mail service told). Both are counted back from `timezone.now()`, so they exist
whatever the hour of loading (near midnight, the resolved one began yesterday). The tickets are
opened through support's actions, moved back in time, and correlated as of that time by the
real correlation; the first is resolved by the service desk through the real action.

The open one has had one update from the service desk (posted on its tickets and mailed to
the agencies concerned, through the console's action), and the requesters of the resolved
one's tickets have rated them (through the signed links of their resolution mails).

Run after the demo agencies have people, subscriptions (ordering history) and tickets.
Idempotent: nothing is done when any major incident exists.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tenants.utils import tenant_context

from demo.data.support import backdate as backdate_ticket
from services.catalogue.models import Offering
from services.crossindex.models import IndexEntry, IndexKind
from services.incidents.actions import post_update, resolve_incident
from services.incidents.correlation import correlate
from services.incidents.models import MajorIncident
from services.people.models import Person
from services.support import actions as support
from services.support.models import Channel, Ticket
from services.support.satisfaction.actions import rate_by_link
from services.support.satisfaction.links import make_token
from tenants.models import Agency, AgencyState

RESOLVED = (
    "natverk-vpn",
    "Fjärråtkomsten (VPN) kopplar ner efter några sekunder",
    "Brandväggen i driftcentralen startades om efter en felaktig uppdatering. Fjärråtkomsten "
    "fungerar igen för alla myndigheter; hör av er om ni fortfarande har problem.",
)
OPEN = ("epost-konto", "E-posten går inte att skicka, meddelandena fastnar i utkorgen")
UPDATE = (
    "Felet sitter i leverantörens e-postrelä. Leverantören arbetar på det; nästa besked "
    "kommer inom en timme. E-post som fastnat skickas när felet är rättat."
)
RATINGS = (
    (5, "Snabbt löst, och bra att vi fick veta vad som hänt."),
    (4, ""),
    (2, "Det tog lång tid innan vi fick något besked."),
    (5, ""),
)


def _report(agency, offering: Offering, subject: str, at: dt.datetime, now: dt.datetime) -> bool:
    with tenant_context(agency):
        person = Person.objects.order_by("pk").first()
    if person is None:
        return False
    data = support.NewTicket(
        subject=subject, description="Demoärende", impact=1, urgency=1, offering_id=offering.pk
    )
    ticket = support.open_ticket(agency, person, data, channel=Channel.EMAIL)
    backdate_ticket(agency, ticket.pk, now - at)
    # the index row keeps its own creation time: move it too (correlation reads it)
    IndexEntry.objects.filter(agency=agency, kind=IndexKind.TICKET, local_id=ticket.pk).update(
        created_at=at
    )
    return True


def _incident(agencies, code: str, subject: str, start: dt.datetime, now: dt.datetime):
    offering = Offering.objects.filter(code=code).first()
    if offering is None:
        return None
    for i, agency in enumerate(agencies):
        _report(agency, offering, subject, start + dt.timedelta(minutes=2 + 8 * i), now)
    # correlated as of just after the last report (before anything else the demo made today)
    result = correlate(start + dt.timedelta(minutes=4 + 8 * (len(agencies) - 1)))
    return MajorIncident.objects.filter(pk__in=result.opened).first()


def load_major_incidents(agencies, desk, now: dt.datetime | None = None) -> int:
    """Create the two demo incidents. `agencies`: the demo agencies (seven or more active
    ones are needed); `desk`: a service-desk agent. Returns the number of incidents made."""
    if MajorIncident.objects.exists():
        return 0
    active = set(
        Agency.objects.filter(
            pk__in=[a.pk for a in agencies], state=AgencyState.ACTIVE
        ).values_list("pk", flat=True)
    )  # the database decides, not the (possibly stale) objects passed in
    agencies = [a for a in agencies if a.pk in active]
    if len(agencies) < 7:
        return 0
    now = now or timezone.now()
    made = 0
    code, subject, note = RESOLVED
    resolved = _incident(agencies[:4], code, subject, now - dt.timedelta(hours=5), now)
    if resolved is not None:
        resolve_incident(desk, resolved.pk, note=note, resolve_tickets=True)
        _rate(resolved)
        made += 1
    code, subject = OPEN
    opened = _incident(agencies[4:7], code, subject, now - dt.timedelta(minutes=60), now)
    if opened is not None:
        post_update(desk, opened.pk, message=UPDATE)
        made += 1
    return made


def _rate(incident: MajorIncident) -> None:
    """Each requester of the resolved incident's tickets rates it through the mail's link."""
    links = incident.tickets.select_related("agency").order_by("agency_id", "ticket_id")
    for (score, comment), link in zip(RATINGS, links, strict=False):
        with tenant_context(link.agency):
            ticket = Ticket.objects.get(pk=link.ticket_id)
        rate_by_link(link.agency, make_token(link.agency, ticket), score=score, comment=comment)
