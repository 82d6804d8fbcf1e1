"""Escalation fires a warning at 75 % and a breach at 100 % of a target, once each."""

import datetime as dt

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.crossindex.models import IndexEntry
from services.support.escalation import escalate
from services.support.models import ClockEvent, Ticket
from tests.support.test_tickets import open_ticket

pytestmark = pytest.mark.django_db


def test_warning_then_breach_each_once(federation, people, cat, django_capture_on_commit_callbacks):
    # given a priority-2 ticket (first response within 60 minutes, an always-open calendar)
    open_ticket(federation, offering=to_global_id("Offering", cat.mail.pk))
    with schema_context("agency_alpha"):
        created = Ticket.objects.get().created_at
    # when escalation runs 46 minutes later, twice
    with django_capture_on_commit_callbacks(execute=True):
        first = escalate(created + dt.timedelta(minutes=46))
        again = escalate(created + dt.timedelta(minutes=47))
    # then one warning went to the group, and nothing more the second time
    assert first == {"warned": 1, "breached": 0} and again == {"warned": 0, "breached": 0}
    assert [m.to for m in mail.outbox] == [["servicedesk@samnav.invalid"]]
    assert IndexEntry.objects.get(kind="ticket").escalation == 1
    # when the target passes: a breach, to the group and the agency's admins
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate(created + dt.timedelta(minutes=61)) == {"warned": 0, "breached": 1}
        assert escalate(created + dt.timedelta(minutes=90)) == {"warned": 0, "breached": 0}
    assert [m.to for m in mail.outbox[1:]] == [
        ["servicedesk@samnav.invalid"],
        ["admin@alpha.example"],
    ]
    with schema_context("agency_alpha"):
        kinds = list(
            ClockEvent.objects.filter(
                clock="response", kind__in=["warned", "breached"]
            ).values_list("kind", flat=True)
        )
    assert kinds == ["warned", "breached"]
    assert IndexEntry.objects.get(kind="ticket").escalation == 2


def test_a_responded_ticket_does_not_escalate_its_response_clock(federation, people, cat):
    from tests.graphql import gql
    from tests.support.test_tickets import REPLY

    t = open_ticket(federation, offering=to_global_id("Offering", cat.mail.pk))["ticket"]
    with schema_context("agency_alpha"):
        ticket = Ticket.objects.get()
    gql(
        REPLY,
        {"id": to_global_id("AgencyTicket", f"{federation.alpha.pk}.{ticket.pk}"), "body": "Hej"},
        user=federation.user("desk"),
    )
    # the resolution clock (480 minutes) is the one that runs now
    assert escalate(ticket.created_at + dt.timedelta(minutes=61)) == {"warned": 0, "breached": 0}
    assert t["id"]
