"""A ticket's clock explained on its page: the calendar, the days not counted and why (weekend,
public holiday, julafton, a closure with its reason), and the pauses."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from demo.data.calendars import OFFICE, load_calendars
from services.calendars.models import Closure
from services.catalogue.models import Agreement
from services.support import actions
from services.support.clock_explained import DayReason, explain
from services.support.models import Channel, ClockEvent, Ticket
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.fixture
def christmas_ticket(federation, people, cat):
    """Opened Monday 2025-12-22 09:00 UTC, waiting on the requester on the 29th 09:00-10:00,
    resolved 2025-12-30 12:00; the office calendar, closed on the 23rd for a move."""
    office = load_calendars()[OFFICE]
    Agreement.objects.filter(pk=cat.ola.pk).update(calendar=office)
    Closure.objects.create(calendar=office, date=dt.date(2025, 12, 23), reason="Flytt av kontoret")
    ticket = actions.open_ticket(
        federation.alpha,
        people["alpha-staff"],
        actions.NewTicket(subject="Skrivaren", impact=2, urgency=2, offering_id=cat.mail.pk),
        channel=Channel.WEB,
    )
    created = at("2025-12-22 09:00")
    with schema_context(federation.alpha.schema_name):
        Ticket.objects.filter(pk=ticket.pk).update(created_at=created)
        ClockEvent.objects.filter(ticket_id=ticket.pk).update(at=created)
        for clock, kind, moment, reason in (
            ("response", "stopped", "2025-12-22 10:00", ""),
            ("resolution", "paused", "2025-12-29 09:00", "waiting_requester"),
            ("resolution", "resumed", "2025-12-29 10:00", ""),
            ("resolution", "stopped", "2025-12-30 12:00", ""),
        ):
            ClockEvent.objects.create(
                ticket_id=ticket.pk, clock=clock, kind=kind, at=at(moment), reason=reason
            )
        return Ticket.objects.get(pk=ticket.pk)


def test_the_days_not_counted_and_why(federation, christmas_ticket):
    with translation.override("en"):
        explained = explain(federation.alpha, christmas_ticket)
    assert explained.calendar == OFFICE
    days = {d.day.isoformat(): (d.reason, d.label, d.partly) for d in explained.days}
    assert days == {
        "2025-12-23": (DayReason.CLOSURE, "Flytt av kontoret", False),
        "2025-12-24": (DayReason.EVE, "Christmas eve", False),
        "2025-12-25": (DayReason.HOLIDAY, "Christmas Day", False),
        "2025-12-26": (DayReason.HOLIDAY, "Second Day of Christmas", False),
        "2025-12-27": (DayReason.WEEKEND, "Saturday", False),
        "2025-12-28": (DayReason.WEEKEND, "Sunday", False),
    }
    # the pause, with its reason and the business minutes it kept out of the count
    assert [(p.reason, p.minutes, p.ongoing) for p in explained.pauses] == [
        ("Waiting on requester", 60, False)
    ]
    assert explained.lines["Resolution"][-1].startswith("Met:")


def test_the_requesters_page_explains_the_clock(federation, christmas_ticket):
    client = Client(HTTP_HOST="alpha.localhost")
    assert client.login(username="alpha-staff", password=PASSWORD)
    page = client.get(f"/support/{christmas_ticket.pk}/").content.decode()
    assert "How the clock counts" in page
    assert "Flytt av kontoret" in page and "Christmas eve" in page
    assert "Waiting on requester" in page
