"""The major-incident console: the desk links a ticket by agency and number, posts one update
that reaches every reporter and subscribed agency, and resolves everything at once; agency
admins see their own part, read-only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from services.incidents.actions import link_ticket, post_update
from services.incidents.models import IncidentNotice, IncidentTicket, MajorIncident
from services.support.models import Ticket, TicketMessage
from tests.conftest import PASSWORD
from tests.incidents.conftest import address, subscribe

pytestmark = pytest.mark.django_db

UPDATE = "Leverantören byter brandväggen; åtgärden väntas klar 14:00."


@pytest.fixture
def incident(four, service, report, run):
    tickets = {a.slug: report(a, service) for a in (four.alpha, four.beta, four.gamma)}
    subscribe(four.delta, service)
    run()
    return MajorIncident.objects.get(), tickets


def _client(federation, user: str, host: str = "localhost") -> Client:
    client = Client(HTTP_HOST=host)
    client.force_login(federation.user(user))
    return client


def _public_replies(agency, pk) -> list[str]:
    with tenant_context(agency):
        return list(
            TicketMessage.objects.filter(ticket_id=pk, is_internal=False)
            .order_by("id")
            .values_list("body", flat=True)
        )


def test_an_update_reaches_every_reporter_and_subscriber(
    federation, four, incident, django_capture_on_commit_callbacks
):
    incident_, tickets = incident
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        posted = post_update(federation.user("desk"), incident_.pk, message=UPDATE)
    assert (posted.tickets, posted.agencies) == (3, 4)
    for agency in (four.alpha, four.beta, four.gamma):
        assert _public_replies(agency, tickets[agency.slug])[-1] == UPDATE
    sent = mail.outbox[before:]
    admins = sorted(m.to[0] for m in sent if m.subject.startswith("Major incident update"))
    assert admins == sorted(address(a) for a in four.all)
    # and every requester got the reply too (the admins opened the tickets in these tests)
    assert sum(1 for m in sent if UPDATE in m.body) >= 4


def test_the_desk_links_a_ticket_and_the_agency_is_told_once(
    federation, four, service, incident, report, django_capture_on_commit_callbacks
):
    incident_, _tickets = incident
    other = report(four.delta, service)
    IncidentTicket.objects.filter(agency=four.delta, ticket_id=other).delete()  # not by the run
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        link_ticket(federation.user("desk"), incident_.pk, agency_slug="delta", ticket_id=other)
    incident_.refresh_from_db()
    assert incident_.agencies_reported == 4
    assert IncidentNotice.objects.filter(incident=incident_, agency=four.delta).count() == 1
    # delta was told already as a subscriber: no second "opened" mail
    assert [m for m in mail.outbox[before:] if m.subject.startswith("Major incident:")] == []
    # a second link of the same ticket, an unknown ticket, another role: clear refusals
    with pytest.raises(ValidationError) as exc:
        link_ticket(federation.user("desk"), incident_.pk, agency_slug="delta", ticket_id=other)
    assert "ticket" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        link_ticket(federation.user("desk"), incident_.pk, agency_slug="delta", ticket_id=99999)
    assert "ticket" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        link_ticket(federation.user("alpha-admin"), incident_.pk, agency_slug="delta", ticket_id=1)


def test_the_console_page_lists_links_updates_and_resolves(
    federation, four, service, incident, report
):
    incident_, tickets = incident
    client = _client(federation, "desk")
    with CaptureQueriesContext(connection) as one:
        page = client.get("/incidents/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Fjärråtkomst test" in body and four.gamma.name in body
    # more tickets, linked through the page (the agency and number, as typed)
    for agency in (four.alpha, four.delta, four.delta):
        number = report(agency, service)
        IncidentTicket.objects.filter(agency=agency, ticket_id=number).delete()
        linked = client.post(
            f"/incidents/{incident_.pk}/", {"do": "link", "agency": agency.slug, "ticket": number}
        )
        assert linked.status_code == 302
    assert incident_.tickets.count() == 6
    # the list keeps its number of queries whatever the number of tickets
    with CaptureQueriesContext(connection) as two:
        client.get("/incidents/")
    assert len(two) <= len(one)
    # an update with nothing in it: the field says why, nothing posted
    empty = client.post(f"/incidents/{incident_.pk}/", {"do": "update", "message": "  "})
    assert empty.status_code == 400
    assert _public_replies(four.alpha, tickets["alpha"]) == ["VPN kopplar ner"]
    # resolve everything at once
    done = client.post(
        f"/incidents/{incident_.pk}/",
        {"do": "resolve", "note": "Utbytt.", "resolve_tickets": "on"},
    )
    assert done.status_code == 302
    incident_.refresh_from_db()
    assert incident_.state == "resolved"
    with tenant_context(four.beta):
        assert Ticket.objects.get(pk=tickets["beta"]).state == "resolved"


def test_agency_admins_see_their_own_part_read_only(federation, four, incident):
    incident_, tickets = incident
    client = _client(federation, "alpha-admin", "alpha.localhost")
    body = client.get("/incidents/").content.decode()
    assert f"#{tickets['alpha']}" in body
    assert four.beta.name not in body and four.gamma.name not in body
    assert 'name="do"' not in body  # nothing to post
    # staff and other hosts: refused
    assert (
        _client(federation, "alpha-staff", "alpha.localhost").get("/incidents/").status_code == 403
    )
    assert client.get(f"/incidents/{incident_.pk}/").status_code == 404
    central = Client(HTTP_HOST="localhost")
    central.login(username="alpha-admin", password=PASSWORD)
    assert central.get(f"/incidents/{incident_.pk}/").status_code == 403
