"""Proactive licence alerts: once per condition, again on a new occurrence, mailed to central IT
and the affected agencies' admins after commit, never about another agency's people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from django_tenants.utils import schema_context

from services.licences.alerts import DEFAULT_CENTRAL_IT_EMAIL
from services.licences.models import AgencyQuota, AlertKind, LicenceAlert, LicencePool
from services.licences.reconciliation import import_usage
from services.licences.seats.models import SeatAssignment
from services.licences.tasks import check_licence_alerts
from services.people.models import Person
from tenants.models import Agency, AgencyState
from tests.licences.test_reconciliation import days_ago, give_quota, give_seat, make_pool, today

pytestmark = pytest.mark.django_db

CENTRAL = DEFAULT_CENTRAL_IT_EMAIL


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def admins(federation):
    """The people behind the admin identities, in their agencies' registers, and a staff
    member of alpha (no admin: no mail)."""
    for slug, email in (("alpha", "chef@alfa.example"), ("beta", "chef@beta.example")):
        agency = getattr(federation, slug)
        with schema_context(agency.schema_name):
            Person.objects.create(
                name=f"Chef {slug}", email=email, user_id=federation.user(f"{slug}-admin").pk
            )
            Person.objects.create(
                name=f"Staff {slug}",
                email=f"staff@{slug}.example",
                user_id=federation.user(f"{slug}-staff").pk,
            )
    return {"alpha": ["chef@alfa.example"], "beta": ["chef@beta.example"]}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """One periodic run through the Celery task; returns its summary and the mails it sent."""

    def _run(today: dt.date | None = None):
        sent_before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            summary = check_licence_alerts.delay(today.isoformat() if today else None).get()
        return summary, mail.outbox[sent_before:]

    return _run


def _mails(sent):
    return sorted((tuple(m.to), m.subject) for m in sent)


def _set_held(pool, agency, held):
    AgencyQuota.objects.filter(pool=pool, agency=agency).update(held_seats=held)


def test_a_nearly_full_pool_alerts_once_per_crossing(federation, admins, run):
    alpha, beta = federation.alpha, federation.beta
    # given a pool of 10 seats: alpha holds 9 (90 %: not above), beta has a quota too
    pool = make_pool(product="Kontorspaket", total=10)
    give_quota(pool, alpha, quota=6, held=9)
    give_quota(pool, beta, quota=4, held=0)
    summary, sent = run()
    assert summary == {"pool_nearly_full": 0, "renewal_due": 0, "seats_unused": 0}
    assert sent == []
    # when alpha holds the 10th seat
    _set_held(pool, alpha, 10)
    summary, sent = run()
    # then one alert is raised, and central IT and both agencies' admins are told
    assert summary["pool_nearly_full"] == 1
    alert = LicenceAlert.objects.get(pool=pool)
    assert (alert.kind, alert.agency_id, alert.key) == (
        AlertKind.POOL_NEARLY_FULL,
        None,
        "crossing-1",
    )
    subject = "Licence pool Kontorspaket is above 90 % held"
    assert _mails(sent) == [
        (("chef@alfa.example",), subject),
        (("chef@beta.example",), subject),
        ((CENTRAL,), subject),
    ]
    assert sent[0].body == (
        "The licence pool Kontorspaket holds 10 of the 10 seats it owns. Order more seats or "
        "reclaim unused ones before it runs out."
    )
    # when the next run finds it still full
    summary, sent = run()
    # then nothing more is raised or sent
    assert (summary["pool_nearly_full"], sent) == (0, [])
    assert LicenceAlert.objects.filter(pool=pool).count() == 1
    # when it drops to 8 and a run sees it
    _set_held(pool, alpha, 8)
    summary, sent = run()
    assert (summary["pool_nearly_full"], sent) == (0, [])
    alert.refresh_from_db()
    assert alert.detail["cleared_on"] == today().isoformat()
    # when it rises above 90 % again
    _set_held(pool, alpha, 10)
    summary, sent = run()
    # then a second crossing is raised and sent
    assert summary["pool_nearly_full"] == 1
    assert list(
        LicenceAlert.objects.filter(pool=pool).order_by("raised_at").values_list("key", flat=True)
    ) == ["crossing-1", "crossing-2"]
    assert len(sent) == 3


def test_a_renewal_within_90_days_alerts_once_per_renewal_date(federation, admins, run):
    alpha = federation.alpha
    # given pools renewing in 30 days, in 91 days and yesterday
    soon = make_pool(product="Ritprogram", renewal_on=today() + dt.timedelta(days=30))
    make_pool(product="Statistik", renewal_on=today() + dt.timedelta(days=91))
    make_pool(product="Gammalt", renewal_on=days_ago(1))
    give_quota(soon, alpha, quota=2, held=1)
    # when the check runs twice
    summary, sent = run()
    again, sent_again = run()
    # then only the pool renewing within 90 days raised an alert, once
    assert summary["renewal_due"] == 1 and again["renewal_due"] == 0 and sent_again == []
    alert = LicenceAlert.objects.get(kind=AlertKind.RENEWAL_DUE)
    assert (alert.pool_id, alert.agency_id, alert.key) == (
        soon.pk,
        None,
        (today() + dt.timedelta(days=30)).isoformat(),
    )
    subject = f"Licence agreement Ritprogram is up for renewal on {alert.key}"
    # to central IT and to alpha's admin (alpha has a share); beta has none
    assert _mails(sent) == [(("chef@alfa.example",), subject), ((CENTRAL,), subject)]
    # when the agreement's renewal date moves (a new occurrence)
    LicencePool.objects.filter(pk=soon.pk).update(renewal_on=today() + dt.timedelta(days=60))
    summary, sent = run()
    # then it is raised again
    assert summary["renewal_due"] == 1 and len(sent) == 2
    # and the check on a later day, once the renewal is within 90 days, sees the other pool
    summary, _sent = run(today() + dt.timedelta(days=5))
    assert summary["renewal_due"] == 1
    assert LicenceAlert.objects.filter(kind=AlertKind.RENEWAL_DUE).count() == 3


def _unused_scene(federation):
    """Alpha: bo's seat unused for 100 days; beta: dora's seat unused."""
    pool = make_pool(product="Kontorspaket", total=20)
    give_quota(pool, federation.alpha, quota=5, held=5)
    give_quota(pool, federation.beta, quota=5, held=5)
    give_seat(pool, federation.alpha, "anna@alfa.example", name="Anna Andersson")
    give_seat(pool, federation.alpha, "bo@alfa.example", name="Bo Berg")
    give_seat(pool, federation.beta, "dora@beta.example", name="Dora Dahl")
    give_seat(pool, federation.beta, "erik@beta.example", name="Erik Ek")
    return pool


def test_seats_unused_for_60_days_alert_once_per_usage_report(federation, admins, run):
    alpha, beta = federation.alpha, federation.beta
    pool = _unused_scene(federation)
    # given a report: anna and both beta people used their seats lately, bo did not
    first = import_usage(
        federation.user("cat"),
        pool.pk,
        f"email,last_used\nanna@alfa.example,{today()}\ndora@beta.example,{today()}\n"
        f"erik@beta.example,{days_ago(3)}\n",
    ).usage_import
    # when the check runs twice
    summary, sent = run()
    again, sent_again = run()
    # then alpha (only) has an alert keyed by the report, raised once
    assert summary["seats_unused"] == 1 and again["seats_unused"] == 0 and sent_again == []
    alert = LicenceAlert.objects.get(kind=AlertKind.SEATS_UNUSED)
    assert (alert.pool_id, alert.agency_id, alert.key) == (pool.pk, alpha.pk, str(first.pk))
    assert alert.detail == {"seats": 1, "days": 60, "imported_on": today().isoformat()}
    # and central IT hears which agency, alpha's admin hears about its own seats
    by_to = {m.to[0]: m for m in sent}
    assert sorted(by_to) == ["chef@alfa.example", CENTRAL]
    assert by_to[CENTRAL].body == (
        "Länsstyrelsen Alfa has 1 seat(s) of Kontorspaket not used for 60 days or more "
        f"(usage report of {today().isoformat()}): candidates to reclaim."
    )
    assert by_to["chef@alfa.example"].body.startswith("Your agency has 1 seat(s) of Kontorspaket")
    # and no mail names anyone's person or address
    for m in sent:
        for private in ("Bo Berg", "bo@alfa.example", "Anna", "Dora", "dora@", "Beta"):
            assert private not in m.subject + m.body
    # when erik (beta) was last seen 80 days ago, and a new report names dora only
    with schema_context(beta.schema_name):
        SeatAssignment.objects.filter(person__email="erik@beta.example").update(
            last_used_on=days_ago(80)
        )
    second = import_usage(
        federation.user("cat"), pool.pk, f"email,last_used\ndora@beta.example,{today()}\n"
    ).usage_import
    summary, sent = run()
    # then the latest report raises alerts for both agencies, each mailed to its own admin
    assert summary["seats_unused"] == 2
    assert sorted(
        LicenceAlert.objects.filter(kind=AlertKind.SEATS_UNUSED, key=str(second.pk)).values_list(
            "agency__slug", flat=True
        )
    ) == ["alpha", "beta"]
    assert sorted(m.to[0] for m in sent) == [
        "chef@alfa.example",
        "chef@beta.example",
        CENTRAL,
        CENTRAL,
    ]
    beta_mail = next(m for m in sent if m.to == ["chef@beta.example"])
    assert "Alfa" not in beta_mail.body and "alfa" not in beta_mail.body


def test_a_suspended_agency_gets_no_alert_and_no_mail(federation, admins, run):
    alpha, beta = federation.alpha, federation.beta
    pool = _unused_scene(federation)
    # given a report leaving seats unused in both agencies, and a pool 75 % held
    import_usage(federation.user("cat"), pool.pk, "email,last_used\n")
    _set_held(pool, alpha, 10)
    _set_held(pool, beta, 5)
    # when beta is suspended and the check runs
    Agency.objects.filter(pk=beta.pk).update(state=AgencyState.SUSPENDED)
    summary, sent = run()
    # then alpha gets its alerts, beta none, and beta's admin no mail at all
    assert summary == {"pool_nearly_full": 0, "renewal_due": 0, "seats_unused": 1}
    assert LicenceAlert.objects.get(kind=AlertKind.SEATS_UNUSED).agency_id == alpha.pk
    assert "chef@beta.example" not in [to for m in sent for to in m.to]
    # and the pool-wide alert, once raised, is not mailed to beta either
    _set_held(pool, alpha, 19)
    summary, sent = run()
    assert summary["pool_nearly_full"] == 1
    assert sorted(m.to[0] for m in sent) == ["chef@alfa.example", CENTRAL]


def test_a_rolled_back_run_raises_and_sends_nothing(
    federation, admins, django_capture_on_commit_callbacks
):
    # given a pool due for renewal
    pool = make_pool(renewal_on=today() + dt.timedelta(days=10))
    give_quota(pool, federation.alpha, quota=1, held=1)
    # when the run's transaction rolls back after the check
    from services.licences.alerts import check_licence_alerts as check

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        assert check()["renewal_due"] == 1
        raise RuntimeError("worker lost")
    # then no alert stays and no mail left
    assert callbacks == []
    assert LicenceAlert.objects.count() == 0
    assert mail.outbox == []


def test_the_central_address_is_a_setting(federation, admins, run, settings):
    settings.SAMNAV_CENTRAL_IT_EMAIL = "licenser@it.example"
    pool = make_pool(renewal_on=today() + dt.timedelta(days=10))
    give_quota(pool, federation.alpha, quota=1, held=1)
    _summary, sent = run()
    assert sorted(m.to[0] for m in sent) == ["chef@alfa.example", "licenser@it.example"]
