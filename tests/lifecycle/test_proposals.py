"""Replacement proposals: devices whose warranty or planned replacement falls within the
window get one proposal each, once, and the agency's admins are told once per run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django_tenants.utils import schema_context, tenant_context

from config.celery import MissingAgencyContext
from services.devices.replacements.models import ReplacementProposal
from services.devices.replacements.proposals import propose
from services.devices.replacements.tasks import propose_replacements
from tests.lifecycle.conftest import TODAY, device

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def _run(agency, today=TODAY):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            made = propose(agency, today)
        return made, mail.outbox[before:]

    return _run


def _proposals(agency):
    with schema_context(agency.schema_name):
        return sorted(
            (p.device.serial_number, p.reason, (p.due_on - TODAY).days, p.state, p.offering_id)
            for p in ReplacementProposal.objects.select_related("device")
        )


def test_devices_due_within_sixty_days_get_a_proposal(federation, cat, admins, run):
    alpha = federation.alpha
    # given devices with dates inside, at the edge of and outside the 60 days
    device(alpha, "W30", warranty=30)
    device(alpha, "P60", planned=60)
    device(alpha, "W61", warranty=61)
    device(alpha, "BOTH", warranty=50, planned=20)  # the earlier date wins
    device(alpha, "PAST", warranty=-3)  # already out of warranty: still due
    device(alpha, "STOCK", planned=10, state="in_stock")
    device(alpha, "REPAIR", warranty=5, state="in_repair")
    device(alpha, "RETIRED", warranty=5, state="retired")
    device(alpha, "NODATES")
    # when the proposals run
    made, sent = run(alpha)
    # then exactly the due devices in use or in stock have one, for the laptop offering
    laptop = cat.laptop_std.pk
    assert _proposals(alpha) == [
        ("BOTH", "planned_replacement", 20, "proposed", laptop),
        ("P60", "planned_replacement", 60, "proposed", laptop),
        ("PAST", "warranty", -3, "proposed", laptop),
        ("STOCK", "planned_replacement", 10, "proposed", laptop),
        ("W30", "warranty", 30, "proposed", laptop),
    ]
    assert len(made) == 5
    # and alpha's admins get one mail listing them; beta hears nothing
    assert [(m.to, m.subject) for m in sent] == [
        (["admin@alpha.example"], "5 devices are due for replacement")
    ]
    assert "Laptop 14 (W30): warranty ends on 2026-12-22" in sent[0].body
    assert _proposals(federation.beta) == []


def test_a_second_run_proposes_nothing_and_mails_nobody(federation, cat, admins, run):
    alpha = federation.alpha
    device(alpha, "W30", warranty=30)
    run(alpha)
    made, sent = run(alpha)
    assert (made, sent) == ([], [])
    assert len(_proposals(alpha)) == 1


def test_a_dismissed_proposal_is_not_made_again_until_the_date_changes(
    federation, cat, admins, run
):
    from services.devices.replacements.actions import dismiss_proposal

    alpha = federation.alpha
    laptop = device(alpha, "W30", warranty=30)
    [proposal] = run(alpha)[0]
    dismiss_proposal(alpha, federation.user("alpha-admin"), proposal.pk, "Byts i vår")
    # the next day: nothing new
    assert run(alpha, TODAY + dt.timedelta(days=1))[0] == []
    # a new planned date inside the window: a new proposal
    with schema_context(alpha.schema_name):
        laptop.planned_replacement_on = TODAY + dt.timedelta(days=15)
        laptop.save(update_fields=["planned_replacement_on"])
    made, _sent = run(alpha)
    assert [(p.reason, p.due_on) for p in made] == [
        ("planned_replacement", TODAY + dt.timedelta(days=15))
    ]


def test_an_open_proposal_is_the_only_one_for_its_device(federation, cat, admins, run):
    alpha = federation.alpha
    laptop = device(alpha, "W30", warranty=30)
    run(alpha)
    # the date moves while the first proposal is open: no second open proposal
    with schema_context(alpha.schema_name):
        laptop.warranty_ends_on = TODAY + dt.timedelta(days=10)
        laptop.save(update_fields=["warranty_ends_on"])
    assert run(alpha)[0] == []
    assert len(_proposals(alpha)) == 1


def test_the_window_comes_from_the_settings(federation, cat, admins, run, settings):
    alpha = federation.alpha
    device(alpha, "W30", warranty=30)
    device(alpha, "W5", warranty=5)
    settings.SAMNAV_LIFECYCLE_DAYS = 10
    assert [p.device.serial_number for p in run(alpha)[0]] == ["W5"]


def test_without_the_offering_in_the_catalogue_the_proposal_has_none(
    federation, admins, run, settings
):
    settings.SAMNAV_DEVICE_REPLACEMENT_OFFERINGS = {"computer": ["no-such-offering"]}
    device(federation.alpha, "W30", warranty=30)
    [proposal] = run(federation.alpha)[0]
    assert proposal.offering_id is None
    assert "no replacement for a computer" in proposal.offering_note


def test_the_task_runs_in_the_agency_and_fails_closed_without_one(
    federation, cat, admins, django_capture_on_commit_callbacks
):
    alpha = federation.alpha
    device(alpha, "W30", warranty=30)
    with tenant_context(alpha), django_capture_on_commit_callbacks(execute=True):
        assert propose_replacements.delay(TODAY.isoformat()).get() == 1
        assert propose_replacements.delay(TODAY.isoformat()).get() == 0
    with pytest.raises(MissingAgencyContext):
        propose_replacements.delay(TODAY.isoformat()).get()


def test_the_daily_beat_entry_reaches_every_active_agency(
    federation, cat, admins, django_capture_on_commit_callbacks
):
    from django.conf import settings
    from django.utils import timezone

    from tenants.tasks import for_each_agency

    # given a device of alpha whose warranty ends today (the real today)
    with schema_context(federation.alpha.schema_name):
        from services.devices.models import Device

        Device.objects.create(
            serial_number="BEAT", model="Laptop 14", warranty_ends_on=timezone.localdate()
        )
    # when the beat entry's task runs
    entry = settings.CELERY_BEAT_SCHEDULE["lifecycle-proposals"]
    with django_capture_on_commit_callbacks(execute=True):
        sent = for_each_agency.delay(*entry["args"]).get()
    # then one task went to each active agency, and alpha's device has its proposal
    assert sent == 2
    assert [p[0] for p in _proposals(federation.alpha)] == ["BEAT"]
