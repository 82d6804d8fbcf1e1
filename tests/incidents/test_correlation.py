"""Correlation across agencies: tickets about one service from enough agencies within the
window open one major incident, link the tickets and tell every affected agency once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from services.crossindex.models import IndexEntry, IndexKind
from services.incidents.models import IncidentNotice, IncidentTicket, MajorIncident
from services.incidents.tasks import correlate_tickets
from tests.incidents.conftest import address, mails, subscribe

pytestmark = pytest.mark.django_db

OPENED = "Major incident: Fjärråtkomst test"


def _links(incident) -> set[tuple[int, int]]:
    return set(incident.tickets.values_list("agency_id", "ticket_id"))


def test_three_agencies_within_the_window_open_one_incident(four, service, report, run):
    # given tickets about the service from alpha, beta and gamma within 20 minutes, and delta
    # subscribing to the service without having reported anything
    now = timezone.now()
    a = report(four.alpha, service, now - dt.timedelta(minutes=20))
    b = report(four.beta, service, now - dt.timedelta(minutes=10))
    g = report(four.gamma, service, now)
    subscribe(four.delta, service)
    # when correlation runs
    result, sent = run(now)
    # then one incident is open for the service, with the three tickets linked
    assert result.as_dict() == {"opened": 1, "linked": 3, "notified": 4}
    incident = MajorIncident.objects.get()
    assert (incident.service, incident.state, incident.agencies_reported) == (service, "open", 3)
    assert incident.opened_at == now
    assert incident.summary == (
        "Tickets about Fjärråtkomst test from 3 agencies within 30 minutes."
    )
    assert _links(incident) == {(four.alpha.pk, a), (four.beta.pk, b), (four.gamma.pk, g)}
    # and the admins of the three reporters and of the subscriber are told, once each
    assert mails(sent) == sorted(
        ((address(x),), OPENED) for x in (four.alpha, four.beta, four.gamma, four.delta)
    )
    by_to = {m.to[0]: m.body for m in sent}
    assert "1 of your agency's tickets are linked to it" in by_to[address(four.alpha)]
    assert "Your agency subscribes to the service" in by_to[address(four.delta)]
    # and no mail names another agency
    for body in by_to.values():
        assert not any(x.slug in body or x.name in body for x in four.all)
    notices = set(IncidentNotice.objects.values_list("agency_id", "reported"))
    assert notices == {
        (four.alpha.pk, True),
        (four.beta.pk, True),
        (four.gamma.pk, True),
        (four.delta.pk, False),
    }


def test_two_agencies_open_nothing(four, service, report, run):
    # given tickets from two agencies only (two from alpha)
    report(four.alpha, service)
    report(four.alpha, service)
    report(four.beta, service)
    # when correlation runs, then nothing opens and nobody is told
    result, sent = run()
    assert result.as_dict() == {"opened": 0, "linked": 0, "notified": 0}
    assert MajorIncident.objects.count() == 0
    assert sent == []


def test_three_agencies_spread_over_forty_minutes_open_nothing(four, service, report, run):
    # given three agencies' tickets 20 minutes apart
    now = timezone.now()
    report(four.alpha, service, now - dt.timedelta(minutes=40))
    report(four.beta, service, now - dt.timedelta(minutes=20))
    report(four.gamma, service, now)
    # when correlation runs at each arrival, then no 30-minute window holds three agencies
    for minutes in (40, 20, 0):
        result, sent = run(now - dt.timedelta(minutes=minutes))
        assert result.as_dict() == {"opened": 0, "linked": 0, "notified": 0}
    assert MajorIncident.objects.count() == 0


def test_other_services_do_not_add_up(four, service, report, run):
    # given three agencies reporting, but about two different services
    from services.catalogue.models import Service

    other = Service.objects.create(name="E-post test", category="email", owner="Drift")
    report(four.alpha, service)
    report(four.beta, service)
    report(four.gamma, other)
    # when correlation runs, then nothing opens
    assert run()[0].as_dict() == {"opened": 0, "linked": 0, "notified": 0}


def test_thresholds_come_from_the_settings(four, service, report, run, settings):
    now = timezone.now()
    report(four.alpha, service, now - dt.timedelta(minutes=40))
    report(four.beta, service, now)
    # given two agencies 40 minutes apart: nothing under the defaults
    assert run(now)[0].opened == []
    # when two agencies suffice but the window stays 30 minutes: still nothing
    settings.SAMNAV_MAJOR_INCIDENT_AGENCIES = 2
    assert run(now)[0].opened == []
    # when the window is 45 minutes: one incident with both tickets
    settings.SAMNAV_MAJOR_INCIDENT_MINUTES = 45
    result, _sent = run(now)
    assert result.as_dict() == {"opened": 1, "linked": 2, "notified": 2}
    assert MajorIncident.objects.get().summary.endswith("from 2 agencies within 45 minutes.")


def test_a_second_run_adds_nothing(four, service, report, run):
    # given an incident opened by a run
    for agency in (four.alpha, four.beta, four.gamma):
        report(agency, service)
    run()
    # when correlation runs again with nothing new
    result, sent = run()
    # then nothing is opened, linked or mailed
    assert result.as_dict() == {"opened": 0, "linked": 0, "notified": 0}
    assert sent == []
    assert (MajorIncident.objects.count(), IncidentTicket.objects.count()) == (1, 3)


def test_a_later_agency_is_linked_and_told_once(four, service, report, run):
    # given an open incident from alpha, beta and gamma
    now = timezone.now()
    for agency in (four.alpha, four.beta, four.gamma):
        report(agency, service, now - dt.timedelta(minutes=5))
    run(now)
    incident = MajorIncident.objects.get()
    # when delta reports an hour later (outside the first window) and correlation runs
    later = now + dt.timedelta(hours=1)
    d = report(four.delta, service, later)
    result, sent = run(later)
    # then delta's ticket joins the open incident and delta's admins are told, once
    assert result.as_dict() == {"opened": 0, "linked": 1, "notified": 1}
    assert (four.delta.pk, d) in _links(incident)
    assert mails(sent) == [((address(four.delta),), OPENED)]
    incident.refresh_from_db()
    assert incident.agencies_reported == 4
    # when alpha reports again, nobody is told again (alpha already knows)
    report(four.alpha, service, later)
    result, sent = run(later)
    assert result.as_dict() == {"opened": 0, "linked": 1, "notified": 0}
    assert sent == []


def test_a_subscriber_told_first_is_not_told_again_when_it_reports(four, service, report, run):
    # given delta, a subscriber, was told when the incident opened
    for agency in (four.alpha, four.beta, four.gamma):
        report(agency, service)
    subscribe(four.delta, service)
    run()
    # when delta reports too
    report(four.delta, service)
    result, sent = run()
    # then its ticket is linked, and no second mail goes out
    assert result.as_dict() == {"opened": 0, "linked": 1, "notified": 0}
    assert sent == []


def test_ended_subscriptions_and_inactive_agencies_are_not_told(four, service, report, run):
    from tenants.models import AgencyState

    # given delta's subscription ended, and gamma (a reporter) suspended
    for agency in (four.alpha, four.beta, four.gamma):
        report(agency, service)
    subscribe(four.delta, service, state="ended")
    four.gamma.state = AgencyState.SUSPENDED
    four.gamma.save(update_fields=["state"])
    # when correlation runs
    result, sent = run()
    # then only alpha and beta are told
    assert result.notified == 2
    assert mails(sent) == [((address(four.alpha),), OPENED), ((address(four.beta),), OPENED)]


def test_linked_tickets_do_not_open_a_new_incident_after_resolution(four, service, report, run):
    # given an incident resolved while its tickets are still inside the window
    for agency in (four.alpha, four.beta, four.gamma):
        report(agency, service)
    run()
    MajorIncident.objects.update(state="resolved", resolved_at=timezone.now())
    # when correlation runs again, then the same tickets do not open another
    assert run()[0].as_dict() == {"opened": 0, "linked": 0, "notified": 0}
    # but three new reports do
    for agency in (four.alpha, four.beta, four.delta):
        report(agency, service)
    result, _sent = run()
    assert result.as_dict()["opened"] == 1
    assert MajorIncident.objects.filter(state="open").get().agencies_reported == 3


def test_the_task_runs_the_correlation(four, service, report, django_capture_on_commit_callbacks):
    for agency in (four.alpha, four.beta, four.gamma):
        report(agency, service)
    with django_capture_on_commit_callbacks(execute=True):
        summary = correlate_tickets.delay().get()
    assert summary == {"opened": 1, "linked": 3, "notified": 3}


def test_the_index_carries_the_service_of_each_ticket(four, service, report):
    # the correlation reads only the index: each ticket has its row with the service
    pk = report(four.alpha, service)
    row = IndexEntry.objects.get(agency=four.alpha, kind=IndexKind.TICKET, local_id=pk)
    assert row.service_id == service.pk
