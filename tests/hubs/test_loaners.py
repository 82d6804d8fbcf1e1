"""Loaners: hub staff lend a hub's loaner to a person of an agency and take it back; every step
is in the device's chain of custody; refusals name the field and write nothing; overdue
borrowers are reminded through the outbox, at most once per SAMNAV_LOAN_REMINDER_DAYS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from config import testclock
from services.devices.models import Device, Handover, Loan
from services.hubs import loan_reminders
from services.hubs.actions import lend_loaner, return_loaner
from services.hubs.models import StockItem
from services.outbox.agency.models import OutboundMessage
from services.people.models import Person
from tests.hubs import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaner(hub):
    return build.stock(hub, "SN-LOAN-1", "loaner")


@pytest.fixture
def borrower(federation):
    return build.person(federation.alpha, "Lena Lånare", email="lena@alpha.example")


def _lend(federation, hubber, loaner, borrower, days=14, agency=None):
    return lend_loaner(
        agency or federation.alpha,
        hubber,
        loaner.pk,
        person_id=borrower.pk,
        expected_return=timezone.localdate() + dt.timedelta(days=days),
    )


def _codes(caught) -> dict[str, list[str]]:
    return {k: [e.code for e in v] for k, v in caught.value.error_dict.items()}


def test_lend_and_take_back_with_the_chain_of_custody(federation, hub, hubber, loaner, borrower):
    due = timezone.localdate() + dt.timedelta(days=14)
    # when hub staff lend the loaner to Lena of alpha
    loan = _lend(federation, hubber, loaner, borrower)
    # then the stock item says only that alpha has it, until when
    item = StockItem.objects.get(pk=loaner.pk)
    assert (item.state, item.agency_id, item.due_back_on) == ("lent", federation.alpha.pk, due)
    # and alpha's schema holds the loan, the device with Lena, and the hand-over hub -> Lena
    with schema_context(federation.alpha.schema_name):
        loan = Loan.objects.get(pk=loan.pk)
        assert (loan.person_id, loan.expected_return, loan.lent_by_id) == (
            borrower.pk,
            due,
            hubber.pk,
        )
        device = Device.objects.get(serial_number="SN-LOAN-1")
        assert device.is_loaner and (device.custodian_kind, device.custodian_ref) == (
            "person",
            borrower.pk,
        )
    # when it comes back
    return_loaner(hubber, loaner.pk)
    item.refresh_from_db()
    assert (item.state, item.agency_id, item.due_back_on) == ("available", None, None)
    with schema_context(federation.alpha.schema_name):
        loan.refresh_from_db()
        assert loan.returned_at is not None and loan.returned_by_id == hubber.pk
        device.refresh_from_db()
        assert (device.custodian_kind, device.custodian_ref, device.state) == (
            "hub",
            hub.pk,
            "in_stock",
        )
        chain = list(Handover.objects.filter(device=device).values_list("from_kind", "to_kind"))
    assert chain == [("hub", "person"), ("person", "hub")]
    # lent again: the same device entry, its chain goes on
    _lend(federation, hubber, loaner, borrower)
    with schema_context(federation.alpha.schema_name):
        assert Device.objects.filter(serial_number="SN-LOAN-1").count() == 1
        assert Handover.objects.filter(device=device).count() == 3


def test_refusals_name_the_field_and_write_nothing(federation, hub, hubber, loaner, borrower):
    # a person of beta (an id alpha's register does not have), lent "to alpha": not found
    with schema_context(federation.alpha.schema_name):
        alpha_ids = set(Person.objects.values_list("pk", flat=True))
    beta_person = build.person(federation.beta, "Beta Person", email="b@beta.example")
    while beta_person.pk in alpha_ids:
        beta_person = build.person(federation.beta, "Beta Person", email="b@beta.example")
    with pytest.raises(ValidationError) as caught:
        _lend(federation, hubber, loaner, beta_person)
    assert _codes(caught) == {"person": ["not_found"]}
    # dates: in the past, or beyond SAMNAV_LOAN_MAX_DAYS
    for days in (-1, settings.SAMNAV_LOAN_MAX_DAYS + 1):
        with pytest.raises(ValidationError) as caught:
            _lend(federation, hubber, loaner, borrower, days=days)
        assert _codes(caught) == {"expected_return": ["out_of_range"]}
    # a replacement is no loaner; a lent loaner is not available
    replacement = build.stock(hub, "SN-REPL-1", "replacement")
    with pytest.raises(ValidationError) as caught:
        _lend(federation, hubber, replacement, borrower)
    assert _codes(caught) == {"stock_item": ["not_found"]}
    # agency people may not lend, even their admins
    with pytest.raises(PermissionDenied):
        _lend(federation, federation.user("alpha-admin"), loaner, borrower)
    # nothing was written
    assert StockItem.objects.get(pk=loaner.pk).state == "available"
    with schema_context(federation.alpha.schema_name):
        assert not Loan.objects.exists() and not Device.objects.filter(is_loaner=True).exists()
    # taking back a loaner that is not lent
    with pytest.raises(ValidationError) as caught:
        return_loaner(hubber, loaner.pk)
    assert _codes(caught) == {"stock_item": ["invalid_state"]}
    _lend(federation, hubber, loaner, borrower)
    with pytest.raises(ValidationError) as caught:
        _lend(federation, hubber, loaner, borrower)
    assert _codes(caught) == {"stock_item": ["invalid_state"]}


def test_a_suspended_agency_borrows_nothing(federation, hub, hubber, loaner, borrower):
    alpha = federation.alpha
    alpha.state = "suspended"
    alpha.save(update_fields=["state"])
    try:
        with pytest.raises(ValidationError) as caught:
            _lend(federation, hubber, loaner, borrower)
        assert _codes(caught) == {"agency": ["invalid_state"]}
    finally:
        alpha.state = "active"
        alpha.save(update_fields=["state"])
    assert StockItem.objects.get(pk=loaner.pk).state == "available"


def _mails(federation):
    with schema_context(federation.alpha.schema_name):
        return list(
            OutboundMessage.objects.filter(recipients__contains=["lena@alpha.example"]).values_list(
                "subject", flat=True
            )
        )


def test_overdue_borrowers_are_reminded_once_per_period(
    federation, hub, hubber, loaner, borrower, django_capture_on_commit_callbacks
):
    _lend(federation, hubber, loaner, borrower, days=3)
    other = build.stock(hub, "SN-LOAN-2", "loaner")
    _lend(federation, hubber, other, borrower, days=30)  # not overdue
    start = timezone.localtime()
    # the day it is due: nothing; the day after: one reminder, the overdue loaner only
    testclock.rewind(start + dt.timedelta(days=3))
    assert loan_reminders.remind_overdue() == 0
    testclock.rewind(start + dt.timedelta(days=4))
    assert loan_reminders.remind_overdue() == 1
    assert _mails(federation) == ["Please return the loaner SN-LOAN-1"]
    # the next days: nothing more until SAMNAV_LOAN_REMINDER_DAYS have passed
    testclock.rewind(start + dt.timedelta(days=5))
    assert loan_reminders.remind_overdue() == 0
    testclock.rewind(start + dt.timedelta(days=4 + settings.SAMNAV_LOAN_REMINDER_DAYS))
    assert loan_reminders.remind_overdue() == 1
    assert len(_mails(federation)) == 2
    # once it is back, never again
    return_loaner(hubber, loaner.pk)
    testclock.rewind(start + dt.timedelta(days=30))
    assert loan_reminders.remind_overdue() == 0


def test_the_reminder_runs_daily_from_beat(
    federation, hub, hubber, loaner, borrower, django_capture_on_commit_callbacks
):
    from services.hubs.tasks import remind_overdue_loaners

    _lend(federation, hubber, loaner, borrower, days=1)
    testclock.rewind(timezone.localtime() + dt.timedelta(days=3))
    entry = settings.CELERY_BEAT_SCHEDULE["loaners-overdue-reminders"]
    assert entry["task"] == remind_overdue_loaners.name
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_overdue_loaners.delay().get() == 1
    assert _mails(federation) == ["Please return the loaner SN-LOAN-1"]
