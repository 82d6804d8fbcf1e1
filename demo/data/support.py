"""Demo tickets: a couple of months of support for a demo agency, through the real actions,
then moved back in time (clock events included) so clocks, queues and breaches look lived-in.
Deterministic per agency; idempotent (an agency with tickets is left alone)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from django_tenants.utils import tenant_context

from services.catalogue.models import Offering
from services.crossindex.models import IndexEntry, IndexKind
from services.people.models import Person
from services.support import actions, clocks
from services.support.models import Channel, ClockEvent, Ticket, TicketMessage, TicketState

SUBJECTS = [
    "Kommer inte åt e-posten",
    "Skrivaren på plan 3 skriver inte ut",
    "VPN kopplar ner",
    "Behöver behörighet till diariet",
    "Datorn startar inte",
    "Teams-mötet saknar ljud",
    "Lösenordet har gått ut",
    "GIS-visaren laddar inte kartlager",
    "Ny medarbetare behöver dator",
    "Delad brevlåda saknas",
    "Mobilen synkar inte kalendern",
    "Filservern är långsam",
]
CHANNELS = [Channel.WEB, Channel.EMAIL, Channel.EMAIL, Channel.SMS, Channel.CHAT, Channel.API]


def load_agency_tickets(agency, desk, count: int = 14) -> int:
    with tenant_context(agency):
        if Ticket.objects.exists():
            return 0
        people = list(Person.objects.order_by("pk"))
    offerings = list(Offering.objects.filter(lifecycle="active").order_by("pk")[:12])
    if not people or not offerings:
        return 0
    rng = random.Random(f"tickets-{agency.slug}")  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    for i in range(count):
        opened = now - dt.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 8))
        data = actions.NewTicket(
            subject=rng.choice(SUBJECTS),
            description="Demoärende",
            impact=rng.choice([1, 2, 2, 3]),
            urgency=rng.choice([1, 2, 3]),
            offering_id=rng.choice(offerings).pk,
        )
        ticket = actions.open_ticket(
            agency, rng.choice(people), data, channel=CHANNELS[i % len(CHANNELS)]
        )
        backdate(agency, ticket.pk, now - opened)
        fate = rng.random()
        if fate < 0.55:
            actions.add_message(
                agency,
                ticket.pk,
                body="Vi har tagit emot ärendet.",
                channel=Channel.WEB,
                actor=desk,
            )
            actions.change_state(agency, desk, ticket.pk, TicketState.RESOLVED, "Åtgärdat")
        elif fate < 0.7:
            actions.change_state(
                agency, desk, ticket.pk, TicketState.WAITING_REQUESTER, "Väntar på svar"
            )
    return count


def backdate(agency, ticket_id: int, shift: dt.timedelta) -> None:
    """Move a demo ticket into the past: its rows and its index row (correlation reads the
    index's creation time)."""
    with tenant_context(agency):
        ticket = Ticket.objects.get(pk=ticket_id)
        Ticket.objects.filter(pk=ticket_id).update(created_at=ticket.created_at - shift)
        TicketMessage.objects.filter(ticket_id=ticket_id).update(
            created_at=ticket.created_at - shift
        )
        ClockEvent.objects.filter(ticket_id=ticket_id).update(at=ticket.created_at - shift)
        clocks.index(agency, Ticket.objects.get(pk=ticket_id))
    IndexEntry.objects.filter(agency=agency, kind=IndexKind.TICKET, local_id=ticket_id).update(
        created_at=ticket.created_at - shift
    )
