"""The service desk's queue and ticket page in the portal: columns read from the agencies'
schemas at a constant cost, filters and saved views, bulk changes that name the rows they
cannot change, priority, reassignment, merging, links, canned answers and the notice that
another agent is on the same ticket."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import schema_context

from services.crossindex.models import IndexEntry
from services.support import actions
from services.support.desk import actions as desk
from services.support.desk.models import SavedView
from services.support.models import Ticket, TicketLink, TicketState
from tenants.models import Agency, AgencyState
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _open(agency, person, subject="Printer jams", service=None, urgency=2):
    return actions.open_ticket(
        agency,
        person,
        actions.NewTicket(
            subject=subject, description="It jams.", service_id=service, urgency=urgency
        ),
        channel="web",
    )


def _subjects(response) -> list[str]:
    return [line.subject for _e, _due, _state, line in response.context["rows"]]


def test_the_queue_shows_subject_requester_agency_and_agreement_at_a_constant_cost(
    federation, people, cat
):
    fed = federation
    agent = portal_client(None, fed.user("desk"))
    _open(fed.alpha, people["alpha-staff"], "Mail is down", service=cat.mail.service_id)
    few, response = count_queries(lambda: agent.get("/support/queue/", **EN))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mail is down" in page and "Staff of alpha" in page
    entry = IndexEntry.objects.get(agency=fed.alpha, kind="ticket")
    assert entry.agreement_id is not None and entry.agreement.name in page
    # more tickets in more agencies (one schema more to read from) cost no more queries
    for i in range(6):
        agency, who = (fed.beta, "beta-staff") if i % 2 else (fed.alpha, "alpha-admin")
        _open(agency, people[who], f"T{i}")
    many, response = count_queries(lambda: agent.get("/support/queue/", **EN))
    assert len(response.context["rows"]) == 7
    assert "Staff of beta" in response.content.decode()
    assert many == few


def test_the_queue_filters_by_agency_agreement_priority_mine_unassigned_and_breached(
    federation, people, cat
):
    fed = federation
    agent = portal_client(None, fed.user("desk"))
    urgent = _open(fed.alpha, people["alpha-staff"], "Urgent", urgency=1)
    mail = _open(fed.beta, people["beta-staff"], "Beta mail", service=cat.mail.service_id)
    mine = _open(fed.beta, people["beta-staff"], "Mine")
    actions.assign_ticket(fed.beta, fed.user("desk"), mine.pk, assignee_id=fed.user("desk").pk)

    def subjects(query: str) -> set[str]:
        return set(_subjects(agent.get(f"/support/queue/?{query}")))

    assert subjects("agency=beta") == {"Beta mail", "Mine"}
    agreement = IndexEntry.objects.get(agency=fed.beta, local_id=mail.pk, kind="ticket").agreement
    assert "Beta mail" in subjects(f"agreement={agreement.pk}")
    assert subjects(f"priority={urgent.priority}") == {"Urgent"}
    assert subjects("mine=on") == {"Mine"}
    assert subjects("unassigned=on") == {"Urgent", "Beta mail"}
    assert subjects("breached=on") == set()
    # the urgent ticket's running clock passes its due time (as the index records it)
    IndexEntry.objects.filter(agency=fed.alpha, local_id=urgent.pk, kind="ticket").update(
        due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert subjects("breached=on") == {"Urgent"}
    # a bad filter is shown, not a 500
    assert agent.get("/support/queue/?priority=9&agreement=x").status_code == 200


def test_an_agent_saves_applies_and_deletes_a_view_of_their_own(federation, people):
    fed = federation
    agent = portal_client(None, fed.user("desk"))
    response = agent.post("/support/queue/views/", {"name": "Beta", "query": "agency=beta&page=2"})
    assert response["Location"] == "/support/queue/?agency=beta"
    view = SavedView.objects.get(owner=fed.user("desk"))
    page = agent.get("/support/queue/", **EN).content.decode()
    assert 'href="?agency=beta"' in page
    # another agent neither sees nor deletes it
    other = portal_client(None, fed.user("tech"))
    assert 'href="?agency=beta"' not in other.get("/support/queue/").content.decode()
    other.post(f"/support/queue/views/{view.pk}/delete/")
    assert SavedView.objects.filter(pk=view.pk).exists()
    agent.post(f"/support/queue/views/{view.pk}/delete/")
    assert not SavedView.objects.exists()


def test_bulk_changes_from_the_queue_report_the_rows_that_cannot_move(federation, people):
    fed = federation
    agent = portal_client(None, fed.user("desk"))
    one = _open(fed.alpha, people["alpha-staff"], "One")
    two = _open(fed.beta, people["beta-staff"], "Two")
    resolved = _open(fed.alpha, people["alpha-staff"], "Resolved")
    actions.change_state(fed.alpha, fed.user("desk"), resolved.pk, TicketState.RESOLVED)
    picks = [f"{fed.alpha.pk}:{one.pk}", f"{fed.beta.pk}:{two.pk}", f"{fed.alpha.pk}:{resolved.pk}"]
    response = agent.post(
        "/support/queue/bulk/",
        {"tickets": picks, "operation": "state", "state": "waiting_supplier", "query": "mine=on"},
        follow=True,
        **EN,
    )
    page = response.content.decode()
    assert response.redirect_chain[0][0] == "/support/queue/?mine=on"
    assert "2 tickets changed." in page
    assert f"alpha#{resolved.pk} was not changed" in page
    with schema_context("agency_alpha"):
        assert Ticket.objects.get(pk=resolved.pk).state == TicketState.RESOLVED
        assert Ticket.objects.get(pk=one.pk).state == TicketState.WAITING_SUPPLIER
    agent.post(
        "/support/queue/bulk/",
        {"tickets": picks[:2], "operation": "assign", "assignee": fed.user("tech").pk},
    )
    assert {e.assignee_id for e in IndexEntry.objects.filter(local_id__in=[one.pk, two.pk])} == {
        fed.user("tech").pk
    }
    # a form without a choice says so and changes nothing; other roles are refused
    response = agent.post(
        "/support/queue/bulk/", {"tickets": picks, "operation": "assign"}, follow=True, **EN
    )
    assert "Choose whom to assign the tickets to." in response.content.decode()
    refused = portal_client(None, fed.user("fin")).post(
        "/support/queue/bulk/", {"tickets": picks, "operation": "state", "state": "closed"}
    )
    assert refused.status_code == 403


def test_the_ticket_page_changes_priority_reassigns_links_and_merges(federation, people, cat):
    fed = federation
    agent = portal_client(None, fed.user("desk"))
    ticket = _open(fed.alpha, people["alpha-staff"], "VPN drops", service=cat.mail.service_id)
    dup = _open(fed.alpha, people["alpha-admin"], "VPN again")
    other = _open(fed.alpha, people["alpha-staff"], "VPN slow")
    url = f"/support/tickets/{fed.alpha.pk}/{ticket.pk}/"
    page = agent.get(url, **EN)
    assert page.status_code == 200
    html = page.content.decode()  # one id per control, though two forms ask for a reason
    assert 'id="priority_reason"' in html and 'id="state_reason"' in html
    # priority without a reason is refused on the ticket page, the error tied to its field
    response = agent.post(url + "priority/", {"priority": 1, "reason": ""}, **EN)
    assert response.status_code == 400
    refused = response.content.decode()
    assert 'id="priority_reason_error"' in refused
    field = re.search(
        r'<textarea[^>]*id="priority_reason"[^>]*>|<input[^>]*id="priority_reason"[^>]*>', refused
    )
    assert field and 'aria-invalid="true"' in field.group(0)
    assert "priority_reason_error" in field.group(0)  # aria-describedby names the error
    assert 'id="state_reason_error"' not in refused  # the other forms are fresh
    agent.post(url + "priority/", {"priority": 1, "reason": "Everyone is hit"})
    agent.post(url + "assign/", {"assignee": fed.user("tech").pk, "group": "field"})
    agent.post(url + "link/", {"other": other.pk})
    agent.post(url + "merge/", {"direction": "into_this", "other": dup.pk, "reason": "Same"})
    with schema_context("agency_alpha"):
        ticket.refresh_from_db()
        assert (ticket.priority, ticket.assignee_id, ticket.group) == (
            1,
            fed.user("tech").pk,
            "field",
        )
        assert TicketLink.objects.filter(ticket_id=ticket.pk, other_id=other.pk).exists()
        assert Ticket.objects.get(pk=dup.pk).merged_into_id == ticket.pk
    page = agent.get(url, **EN).content.decode()
    assert "VPN slow" in page and f"#{dup.pk}" in page
    # the merged ticket's page points to the target
    merged = agent.get(f"/support/tickets/{fed.alpha.pk}/{dup.pk}/", **EN).content.decode()
    assert f'href="{url}"' in merged and "This ticket is merged into" in merged
    # a ticket number that is not alpha's is refused, nothing changes
    response = agent.post(url + "link/", {"other": 987654}, follow=True, **EN)
    assert "No such ticket in this agency." in response.content.decode()
    agent.post(url + "unlink/", {"other": other.pk})
    with schema_context("agency_alpha"):
        assert not TicketLink.objects.exists()


def test_a_canned_answer_fills_the_reply_with_the_tickets_details(federation, people):
    fed = federation
    answer = desk.save_canned_answer(
        fed.user("desk"), name="Tack", language="sv", body="Hej {requester_name}! ({ticket_number})"
    )
    ticket = _open(fed.alpha, people["alpha-staff"], "Printer")
    agent = portal_client(None, fed.user("desk"))
    url = f"/support/tickets/{fed.alpha.pk}/{ticket.pk}/"
    page = agent.get(url, {"canned": answer.pk}).content.decode()
    assert f"Hej Staff of alpha! (alpha#{ticket.pk})</textarea>" in page
    assert f'data-text="Hej Staff of alpha! (alpha#{ticket.pk})"' in page


def test_canned_answers_are_written_on_their_page_by_the_desk_only(federation):
    fed = federation
    agent = portal_client(None, fed.user("desk"))
    response = agent.post("/support/canned/", {"name": "Hi", "language": "en", "body": "Hello"})
    assert response.status_code == 302
    page = agent.get("/support/canned/", **EN).content.decode()
    assert "Hello" in page
    bad = agent.post("/support/canned/", {"name": "Hi", "language": "en", "body": "x"}, **EN)
    assert bad.status_code == 200 and bad.context["form"].errors["name"]
    for name in ("tech", "fin", "alpha-admin"):
        assert portal_client(None, fed.user(name)).get("/support/canned/").status_code == 403


def test_another_agent_on_the_same_ticket_is_shown_and_leaves_after_a_minute(federation, people):
    cache.clear()
    fed = federation
    ticket = _open(fed.alpha, people["alpha-staff"], "Shared")
    url = f"/support/tickets/{fed.alpha.pk}/{ticket.pk}/"
    first, second = portal_client(None, fed.user("desk")), portal_client(None, fed.user("root"))
    first.get(url)
    page = second.get(url, **EN).content.decode()
    assert "desk is also working on this ticket" in page
    # the first agent types; the second's next poll says so
    assert first.post(url + "typing/").status_code == 204
    live = second.get(url + "live/", **EN).content.decode()
    assert "desk is also working on this ticket and is writing a reply" in live
    assert "<html" not in live
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61), tick=False):
        assert "also working" not in second.get(url + "live/", **EN).content.decode()
    # the live fragment is central IT's only
    assert portal_client(None, fed.user("fin")).get(url + "live/").status_code == 403


def test_an_offboarded_agencys_leftover_index_rows_leave_the_queue(federation, people):
    fed = federation
    _open(fed.alpha, people["alpha-staff"], "Alpha's")
    _open(fed.beta, people["beta-staff"], "Beta's")
    Agency.objects.filter(pk=fed.beta.pk).update(state=AgencyState.OFFBOARDED)
    try:
        response = portal_client(None, fed.user("desk")).get("/support/queue/")
        assert response.status_code == 200
        assert _subjects(response) == ["Alpha's"]
    finally:
        Agency.objects.filter(pk=fed.beta.pk).update(state=AgencyState.ACTIVE)
