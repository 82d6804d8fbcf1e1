"""Business calendars in the central Django admin: pages open, the list does not grow in
queries, eves are edited one choice per eve, and saves are audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse as django_reverse

from demo.data.calendars import OFFICE, load_calendars
from services.audit.models import AuditEvent
from services.calendars.models import BusinessCalendar, Closure, Eve, OpeningHours
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def reverse(name, args=None):
    return django_reverse(name, args=args, urlconf="routes.central")


@pytest.fixture
def staff_client(django_user_model):
    user = django_user_model.objects.create_superuser(username="kalenderadmin", password=PASSWORD)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.user = user
    return client


def _inline(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def test_the_calendar_pages_open(federation, staff_client):
    calendars = load_calendars()
    assert staff_client.get(reverse("admin:calendars_businesscalendar_changelist")).status_code == (
        200
    )
    assert staff_client.get(reverse("admin:calendars_businesscalendar_add")).status_code == 200
    page = staff_client.get(
        reverse("admin:calendars_businesscalendar_change", args=[calendars[OFFICE].pk])
    )
    assert page.status_code == 200
    # the eves are one choice each, showing the calendar's rules
    form = page.context["adminform"].form
    assert form["eve_midsummer_eve"].value() == "closed"
    assert form["eve_twelfth_night_eve"].value() == "half"
    assert form["eve_maundy_thursday"].value() == "normal"


def test_the_calendar_list_costs_the_same_queries_for_2_and_12_calendars(federation, staff_client):
    load_calendars()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(reverse("admin:calendars_businesscalendar_changelist"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(10):
        calendar = BusinessCalendar.objects.create(name=f"Kalender {i}")
        OpeningHours.objects.create(
            calendar=calendar, weekday=i % 7, opens_at=dt.time(8), closes_at=dt.time(16)
        )
        Closure.objects.create(calendar=calendar, date=dt.date(2026, 9, 1 + i))
    assert count() == small


def test_a_calendar_added_in_the_admin_keeps_its_hours_eves_and_closures(federation, staff_client):
    # given a new calendar with two weekdays, two eves set and a closure for alpha
    data = {
        "name": "Servicedesk",
        "time_zone": "Europe/Stockholm",
        "holiday_country": "SE",
        "half_day_closes_at": "12:00",
        **{f"eve_{eve.value}": "normal" for eve in Eve},
        "eve_christmas_eve": "closed",
        "eve_walpurgis_night": "half",
        **_inline(
            "opening_hours",
            [
                {"weekday": "0", "opens_at": "07:00", "closes_at": "18:00"},
                {"weekday": "1", "opens_at": "07:00", "closes_at": "18:00"},
            ],
        ),
        **_inline(
            "closures",
            [
                {
                    "date": "2026-09-14",
                    "agency": str(federation.alpha.pk),
                    "closes_at": "",
                    "opens_at": "",
                    "reason": "Flytt",
                }
            ],
        ),
    }
    # when it is saved
    response = staff_client.post(reverse("admin:calendars_businesscalendar_add"), data)
    # then the calendar holds exactly that, and each save is audited
    assert response.status_code == 302, response.context["adminform"].form.errors
    calendar = BusinessCalendar.objects.get(name="Servicedesk")
    assert calendar.close_on_eves == {"christmas_eve": "closed", "walpurgis_night": "half"}
    assert calendar.half_day_closes_at == dt.time(12)
    assert list(calendar.opening_hours.values_list("weekday", "opens_at", "closes_at")) == [
        (0, dt.time(7), dt.time(18)),
        (1, dt.time(7), dt.time(18)),
    ]
    assert list(calendar.closures.values_list("agency_id", "date")) == [
        (federation.alpha.pk, dt.date(2026, 9, 14))
    ]
    actions = sorted(
        AuditEvent.objects.filter(action__startswith="calendars.").values_list("action", flat=True)
    )
    assert actions == [
        "calendars.calendar.created",
        "calendars.closure.created",
        "calendars.openinghours.created",
        "calendars.openinghours.created",
    ]


def test_two_rows_for_one_weekday_are_refused_in_the_admin(federation, staff_client):
    data = {
        "name": "Dubbel",
        "time_zone": "Europe/Stockholm",
        "holiday_country": "SE",
        "half_day_closes_at": "13:00",
        **{f"eve_{eve.value}": "normal" for eve in Eve},
        **_inline(
            "opening_hours",
            [
                {"weekday": "0", "opens_at": "07:00", "closes_at": "12:00"},
                {"weekday": "0", "opens_at": "13:00", "closes_at": "18:00"},
            ],
        ),
        **_inline("closures", []),
    }
    response = staff_client.post(reverse("admin:calendars_businesscalendar_add"), data)
    assert response.status_code == 200
    assert not BusinessCalendar.objects.filter(name="Dubbel").exists()
