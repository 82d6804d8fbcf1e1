"""Resolving a major incident: the note reaches every linked ticket in its own agency, the
tickets are resolved when asked, and the agencies told about it hear it is over."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import tenant_context

from services.incidents.actions import resolve_incident
from services.incidents.models import MajorIncident
from services.support import interface as support
from services.support.models import Ticket, TicketMessage
from tests.incidents.conftest import address, subscribe

pytestmark = pytest.mark.django_db

NOTE = "Brandväggen i Sundsvall är utbytt; fjärråtkomsten fungerar igen."


@pytest.fixture
def incident(four, service, report, run):
    tickets = {a.slug: report(a, service) for a in (four.alpha, four.beta, four.gamma)}
    subscribe(four.delta, service)
    run()
    return MajorIncident.objects.get(), tickets


def _ticket(agency, pk):
    with tenant_context(agency):
        ticket = Ticket.objects.get(pk=pk)
        public = list(
            TicketMessage.objects.filter(ticket=ticket, is_internal=False)
            .order_by("id")
            .values_list("body", flat=True)
        )
    return ticket.state, public


def test_the_desk_resolves_with_a_note_on_every_ticket(
    federation, four, incident, django_capture_on_commit_callbacks
):
    incident_, tickets = incident
    before = len(mail.outbox)
    # when the service desk resolves it, resolving the tickets too
    with django_capture_on_commit_callbacks(execute=True):
        resolve_incident(federation.user("desk"), incident_.pk, note=NOTE, resolve_tickets=True)
    # then the incident is resolved, by the desk
    incident_.refresh_from_db()
    assert (incident_.state, incident_.resolved_by) == ("resolved", federation.user("desk"))
    assert incident_.resolved_at is not None
    # and each linked ticket, in its own agency, has the note as a public reply and is resolved
    for agency in (four.alpha, four.beta, four.gamma):
        state, public = _ticket(agency, tickets[agency.slug])
        assert state == "resolved"
        assert public == ["VPN kopplar ner", NOTE]
    # and the admins of every agency told about it (delta, the subscriber, too) hear it is over
    over = sorted(
        m.to[0] for m in mail.outbox[before:] if m.subject.startswith("Major incident resolved")
    )
    assert over == sorted(address(a) for a in four.all)
    assert all(
        NOTE in m.body
        for m in mail.outbox[before:]
        if m.subject == "Major incident resolved: Fjärråtkomst test"
    )


def test_without_resolving_the_tickets_they_stay_open(federation, four, incident):
    incident_, tickets = incident
    resolve_incident(federation.user("root"), incident_.pk, note=NOTE)
    state, public = _ticket(four.alpha, tickets["alpha"])
    # the agent's reply opened the new ticket; it is not resolved
    assert state == "open"
    assert public[-1] == NOTE


def test_a_closed_ticket_is_left_alone(federation, four, incident):
    incident_, tickets = incident
    desk = federation.user("desk")
    support.change_state(four.beta, desk, tickets["beta"], "closed", "Dubblett")
    resolve_incident(desk, incident_.pk, note=NOTE, resolve_tickets=True)
    assert _ticket(four.beta, tickets["beta"]) == ("closed", ["VPN kopplar ner"])
    assert _ticket(four.alpha, tickets["alpha"])[0] == "resolved"


@pytest.mark.parametrize("who", ["alpha-admin", "tech", "fin", "nobody"])
def test_only_the_desk_resolves_and_a_refusal_changes_nothing(federation, four, incident, who):
    incident_, tickets = incident
    with pytest.raises(PermissionDenied):
        resolve_incident(federation.user(who), incident_.pk, note=NOTE, resolve_tickets=True)
    incident_.refresh_from_db()
    assert incident_.state == "open"
    assert _ticket(four.alpha, tickets["alpha"]) == ("new", ["VPN kopplar ner"])


def test_bad_input_names_the_field(federation, four, incident):
    incident_, tickets = incident
    desk = federation.user("desk")
    with pytest.raises(ValidationError) as raised:
        resolve_incident(desk, incident_.pk, note="  ")
    assert [e.code for e in raised.value.error_dict["note"]] == ["required"]
    with pytest.raises(ValidationError) as raised:
        resolve_incident(desk, incident_.pk + 1000, note=NOTE)
    assert [e.code for e in raised.value.error_dict["incident"]] == ["not_found"]
    resolve_incident(desk, incident_.pk, note=NOTE)
    with pytest.raises(ValidationError) as raised:
        resolve_incident(desk, incident_.pk, note=NOTE)
    assert [e.code for e in raised.value.error_dict["incident"]] == ["invalid_state"]
    # the refused second resolution posted nothing more
    assert _ticket(four.alpha, tickets["alpha"])[1] == ["VPN kopplar ner", NOTE]


def test_a_failure_on_one_ticket_rolls_everything_back(federation, four, incident, monkeypatch):
    incident_, tickets = incident
    real = support.add_message
    calls = []

    def failing(agency, *args, **kwargs):
        calls.append(agency.slug)
        if agency.slug == "gamma":
            raise RuntimeError("database went away")
        return real(agency, *args, **kwargs)

    monkeypatch.setattr(support, "add_message", failing)
    with pytest.raises(RuntimeError):
        resolve_incident(federation.user("desk"), incident_.pk, note=NOTE, resolve_tickets=True)
    # alpha and beta were written before gamma failed: their replies are gone too
    assert calls == ["alpha", "beta", "gamma"]
    incident_.refresh_from_db()
    assert incident_.state == "open"
    assert _ticket(four.alpha, tickets["alpha"]) == ("new", ["VPN kopplar ner"])
