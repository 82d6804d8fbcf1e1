"""Building hubs, people and times for the hub, booking and device tests."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone
from django_tenants.utils import schema_context

from services.calendars.hours import public_holidays
from services.calendars.models import BusinessCalendar, OpeningHours
from services.hubs.models import Hub, HubService, StockItem
from services.people.models import Person
from tenants.models import RoleGrant, User
from tenants.roles import Role

ZONE = zoneinfo.ZoneInfo("Europe/Stockholm")
ALL_SERVICES = [HubService.DROP_OFF, HubService.PICK_UP, HubService.LOANER_SWAP]


def hours_calendar(name: str = "hubtest hours") -> BusinessCalendar:
    """Monday to Friday 09:00-16:00, Swedish public holidays closed."""
    calendar = BusinessCalendar.objects.create(name=name, holiday_country="SE")
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=d, opens_at=dt.time(9), closes_at=dt.time(16))
        for d in range(5)
    )
    return calendar


def make_hub(calendar, name="hubtest Stockholm", county="AB", capacity=2, slot=30, services=None):
    return Hub.objects.create(
        name=name,
        county=county,
        street_address="Hamngatan 1",
        postal_code="111 47",
        city="Stockholm",
        calendar=calendar,
        slot_minutes=slot,
        capacity=capacity,
        services=list(ALL_SERVICES if services is None else services),
    )


def open_day(after_days: int = 2) -> dt.date:
    """A weekday at least `after_days` from today that is not a Swedish public holiday or
    eve-ish date (the test calendar closes only on public holidays)."""
    day = timezone.localdate() + dt.timedelta(days=after_days)
    while day.weekday() >= 5 or day in public_holidays("SE", day.year):
        day += dt.timedelta(days=1)
    return day


def holiday_on_weekday() -> dt.date:
    """The next Swedish public holiday on a weekday, at least two days ahead."""
    day = timezone.localdate() + dt.timedelta(days=2)
    while day.weekday() >= 5 or day not in public_holidays("SE", day.year):
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE)


def person(agency, name: str, user=None, email: str = "", phone: str = "") -> Person:
    with schema_context(agency.schema_name):
        return Person.objects.create(
            user_id=getattr(user, "pk", None), name=name, email=email, phone=phone
        )


def central_user(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, password="pw-hubtest-1")
    RoleGrant.objects.create(user=user, role=role)
    return user


def hub_staff() -> User:
    return central_user("hubtest-hubber", Role.HUB_STAFF)


def stock(hub, serial: str, kind: str, state: str = "available") -> StockItem:
    return StockItem.objects.create(
        hub=hub, serial_number=serial, model="Latitude 5450", kind=kind, state=state
    )
