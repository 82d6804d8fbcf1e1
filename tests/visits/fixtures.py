"""Fixtures for field visits and dispatch: calendars, technicians, people with addresses and
tickets. Imported by tests/visits/conftest.py and tests/dispatch/conftest.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from services.calendars.models import BusinessCalendar, OpeningHours
from services.field.models import Technician
from services.field.visits import actions
from services.people.models import Person
from services.support import actions as support
from services.support.models import Channel
from tenants.models import RoleGrant, User
from tenants.roles import Role


def monday_ahead(weeks: int = 1) -> dt.date:
    """A Monday at least two days ahead (local date)."""
    today = timezone.localdate()
    days = (7 - today.weekday()) % 7 or 7
    if days < 2:
        days += 7
    return today + dt.timedelta(days=days + 7 * (weeks - 1))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def calendar(name: str, opens: dt.time, closes: dt.time, days=range(7)) -> BusinessCalendar:
    cal = BusinessCalendar.objects.create(name=name, holiday_country="", close_on_eves={})
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=cal, weekday=d, opens_at=opens, closes_at=closes) for d in days
    )
    return cal


def technician(username: str, home: str, counties, cal, user=None) -> Technician:
    if user is None:
        user = User.objects.create_user(username=username, password="pw")
        RoleGrant.objects.create(user=user, role=Role.TECHNICIAN)
    return Technician.objects.create(
        user=user, home_county=home, counties=sorted(counties), calendar=cal
    )


@dataclass
class Field:
    always: BusinessCalendar
    office: BusinessCalendar
    techs: dict[str, Technician]
    people: dict[str, Person]
    tickets: dict[str, int] = field(default_factory=dict)
    monday: dt.date = None

    def windows(self, *pairs):
        """(day offset from the Monday, start hour, end hour) -> aware windows."""
        return [
            (at(self.monday + dt.timedelta(days=d), a), at(self.monday + dt.timedelta(days=d), b))
            for d, a, b in pairs
        ]


def build_field(federation, prefix: str = "t") -> Field:
    always = calendar(f"{prefix} always", dt.time(0, 0), dt.time(0, 0))
    office = calendar(f"{prefix} office", dt.time(8, 0), dt.time(17, 0), days=range(5))
    techs = {
        # Uppsala (C): 64 km from Stockholm's seat
        "tech": technician("tech", "C", ["AB", "C", "U"], always, user=federation.user("tech")),
        f"{prefix}-ab": technician(f"{prefix}-ab", "AB", ["AB", "D"], always),
        # Malmö (M): far from Stockholm
        f"{prefix}-m": technician(f"{prefix}-m", "M", ["M", "AB"], always),
        # works office hours only
        f"{prefix}-office": technician(f"{prefix}-office", "AB", ["AB"], office),
        # does not cover Stockholm
        f"{prefix}-o": technician(f"{prefix}-o", "O", ["O", "N"], always),
    }
    people = {}
    for agency in (federation.alpha, federation.beta):
        with schema_context(agency.schema_name):
            for role, n in (("admin", 1), ("staff", 2)):
                user = federation.user(f"{agency.slug}-{role}")
                people[user.username] = Person.objects.create(
                    user_id=user.pk,
                    name=f"{role.title()} of {agency.slug}",
                    email=f"{role}@{agency.slug}.example",
                    phone=f"070-123 45 {n}{len(agency.slug)}",
                    street_address=f"Hemvägen {n}",
                    postal_code="11122",
                    city=f"Stad {agency.slug}",
                )
    fld = Field(always=always, office=office, techs=techs, people=people, monday=monday_ahead())
    for username, person in people.items():
        agency = federation.alpha if username.startswith("alpha") else federation.beta
        ticket = support.open_ticket(
            agency,
            person,
            support.NewTicket(subject=f"Skrivaren hos {username}", impact=2, urgency=1),
            channel=Channel.WEB,
        )
        fld.tickets[username] = ticket.pk
    return fld


@pytest.fixture
def fld(federation, db) -> Field:
    return build_field(federation)


def request(federation, fld, who="alpha-staff", *, agency=None, windows=None, **extra):
    """A visit requested through the action (home, Stockholm county by default)."""
    agency = agency or (federation.alpha if who.startswith("alpha") else federation.beta)
    owner = extra.pop("ticket_of", who)
    data = actions.NewVisit(
        ticket_id=fld.tickets[owner],
        place_kind=extra.pop("place_kind", "home"),
        windows=windows or fld.windows((0, 9, 11), (1, 13, 15)),
        county=extra.pop("county", "AB"),
        **extra,
    )
    return actions.request_visit(agency, federation.user(who), data)
