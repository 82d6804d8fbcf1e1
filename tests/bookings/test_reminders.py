"""Reminders before the slot and no-shows after it: the task functions, run directly, found
through the cross-agency index; each fires once."""

import datetime as dt

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from services.crossindex.models import IndexEntry
from services.hubs.bookings import actions, reminders, tasks
from services.hubs.bookings.models import Booking
from services.outbox.sms import RecordingSmsProvider
from tests.hubs import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookings(federation, hub, settings):
    settings.SAMNAV_BOOKING_REMINDER_HOURS = 24
    settings.SAMNAV_SMS_PROVIDER = "recording"
    RecordingSmsProvider.outbox.clear()
    day = build.open_day(3)
    anna = build.person(
        federation.alpha, "Anna Alfa", federation.user("alpha-staff"), "anna@alpha.example"
    )
    olle = build.person(federation.alpha, "Olle Alfa", None, "", "+46701234567")
    bo = build.person(federation.beta, "Bo Beta", federation.user("beta-staff"), "bo@beta.example")
    admin_a, admin_b = federation.user("alpha-admin"), federation.user("beta-admin")

    def book(agency, admin, person, start):
        return actions.book_slot(
            agency, admin, hub_id=hub.pk, service="pick_up", starts_at=start, person_id=person.pk
        )

    return {
        "day": day,
        "anna": book(federation.alpha, admin_a, anna, build.at(day, 10)),
        "olle": book(federation.alpha, admin_a, olle, build.at(day, 10, 30)),
        "bo": book(federation.beta, admin_b, bo, build.at(day, 11)),
        "later": book(federation.alpha, admin_a, anna, build.at(day + dt.timedelta(days=7), 10)),
    }


def test_reminders_go_once_by_each_persons_channel(
    federation, hub, bookings, django_capture_on_commit_callbacks
):
    # given bookings tomorrow in alpha (e-mail, SMS) and beta (e-mail), and one next week
    now = build.at(bookings["day"], 9) - dt.timedelta(hours=20)
    # when the reminder task runs
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.send_reminders(now)
    # then the three due bookings are reminded, each by its channel
    assert sent == {"email": 2, "sms": 1, "none": 0}
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@alpha.example", "bo@beta.example"]
    assert "hubtest Stockholm" in mail.outbox[0].subject
    assert [s.to for s in RecordingSmsProvider.outbox] == ["+46701234567"]
    assert "Hamngatan 1" in RecordingSmsProvider.outbox[0].text
    with schema_context(federation.alpha.schema_name):
        assert Booking.objects.get(pk=bookings["anna"].pk).reminded_at == now
        assert Booking.objects.get(pk=bookings["later"].pk).reminded_at is None
    assert IndexEntry.objects.get(local_id=bookings["bo"].pk, agency=federation.beta).escalation
    # when it runs again
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders.send_reminders(now + dt.timedelta(minutes=15))
    # then nothing more is sent
    assert again == {"email": 0, "sms": 0, "none": 0}
    assert len(mail.outbox) == 2 and len(RecordingSmsProvider.outbox) == 1


def test_a_cancelled_booking_gets_no_reminder(federation, bookings):
    actions.cancel_booking(federation.alpha, federation.user("alpha-admin"), bookings["anna"].pk)
    now = build.at(bookings["day"], 9) - dt.timedelta(hours=20)
    assert reminders.send_reminders(now) == {"email": 1, "sms": 1, "none": 0}


def test_no_shows_are_recorded_after_the_slot_once(federation, hubber, bookings):
    # given Anna attended and the others did not come
    actions.mark_attended(federation.alpha, hubber, bookings["anna"].pk)
    # when the task runs during Olle's slot
    assert reminders.record_no_shows(build.at(bookings["day"], 10, 45)) == 0
    # when it runs after the day's slots
    after = build.at(bookings["day"], 17)
    assert reminders.record_no_shows(after) == 2
    # then Olle (alpha) and Bo (beta) are no-shows, Anna attended, next week untouched
    with schema_context(federation.alpha.schema_name):
        states = dict(Booking.objects.values_list("pk", "state"))
    assert states[bookings["anna"].pk] == "attended"
    assert states[bookings["olle"].pk] == "no_show"
    assert states[bookings["later"].pk] == "booked"
    with schema_context(federation.beta.schema_name):
        assert Booking.objects.get(pk=bookings["bo"].pk).state == "no_show"
    assert IndexEntry.objects.get(local_id=bookings["bo"].pk, agency=federation.beta).state == (
        "no_show"
    )
    # and a second run changes nothing
    assert reminders.record_no_shows(after + dt.timedelta(minutes=15)) == 0


def test_the_beat_tasks_run_as_plain_functions(federation, bookings):
    # given nothing is due right now (the slots are days ahead, reminders 24 h before)
    # then the tasks run without arguments and find nothing
    assert tasks.send_reminders() == {"email": 0, "sms": 0, "none": 0}
    assert tasks.record_no_shows() == 0
