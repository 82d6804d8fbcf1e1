"""Support in the portal: report a problem (self-help first), follow and reply, and central
IT's queue and ticket view. Same actions as the API; no page shows another agency's data."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services.knowledge.models import Article, SuggestionOutcome
from services.support import actions
from services.support.models import Ticket
from tests.graphql import host_of
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _open(agency, person, subject="Printer jams", service=None):
    return actions.open_ticket(
        agency,
        person,
        actions.NewTicket(subject=subject, description="It jams.", service_id=service),
        channel="web",
    )


def test_staff_report_a_problem_and_land_on_their_ticket(federation, people, cat):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    # when the form is sent
    response = client.post(
        "/support/new/",
        {
            "service": cat.mail.service_id,
            "subject": "Mail is down",
            "description": "No mail since nine.",
            "kind": "incident",
            "impact": 2,
            "urgency": 1,
        },
    )
    # then a web ticket of alpha's staff member exists and its page is shown next
    with schema_context("agency_alpha"):
        ticket = Ticket.objects.get(subject="Mail is down")
        assert (ticket.channel, ticket.priority, ticket.requester.user_id) == (
            "web",
            2,
            federation.user("alpha-staff").pk,
        )
    assert response.status_code == 302
    assert response["Location"] == f"/support/{ticket.pk}/"


def test_a_bad_form_keeps_what_was_typed_and_says_what_is_wrong(federation, people):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    response = client.post(
        "/support/new/",
        {"subject": "", "description": "Kept text", "kind": "incident", "impact": 2, "urgency": 2},
        **EN,
    )
    # then nothing is filed, the error sits next to the subject, and the text is still there
    assert response.status_code == 200
    assert response.context["form"].errors["subject"] == ["This field is required."]
    assert b"Kept text" in response.content
    with schema_context("agency_alpha"):
        assert not Ticket.objects.exists()


def test_suggestions_appear_while_writing_and_a_solved_problem_files_nothing(
    federation, people, cat
):
    article = Article.objects.create(
        service_id=cat.mail.service_id,
        title="Skrivaren skriver inte ut",
        body="Starta om skrivaren och kontrollera papperet.",
    )
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    # when the person writes about the printer
    partial = client.get("/support/new/suggestions/", {"description": "skrivarna strular"})
    # then the article is suggested (Swedish stemming: skrivarna ~ skrivaren)
    assert article.title.encode() in partial.content
    # when it solved the problem
    client.post("/support/new/solved/", {"kind": "shared", "article": article.pk})
    # then the outcome is recorded for alpha and no ticket is filed
    outcome = SuggestionOutcome.objects.get()
    assert (outcome.agency_id, outcome.outcome, outcome.article_id) == (
        federation.alpha.pk,
        "resolved",
        article.pk,
    )
    with schema_context("agency_alpha"):
        assert not Ticket.objects.exists()


def test_staff_see_their_own_tickets_only_and_reply(federation, people):
    mine = _open(federation.alpha, people["alpha-staff"], "Mine")
    theirs = _open(federation.alpha, people["alpha-admin"], "The admin's")
    staff = portal_client(federation.alpha, federation.user("alpha-staff"))
    listing = staff.get("/support/mine/")
    assert b"Mine" in listing.content and b"The admin&#x27;s" not in listing.content
    assert staff.get(f"/support/{theirs.pk}/").status_code == 404
    # when the staff member replies on their ticket
    staff.post(f"/support/{mine.pk}/", {"body": "Still broken."})
    with schema_context("agency_alpha"):
        assert mine.messages.filter(body="Still broken.").exists()
    # and the admin's list holds both
    admin = portal_client(federation.alpha, federation.user("alpha-admin"))
    assert b"The admin&#x27;s" in admin.get("/support/all/").content
    assert staff.get("/support/all/").status_code == 403


def test_another_agency_cannot_open_alphas_tickets(federation, people):
    ticket = _open(federation.alpha, people["alpha-staff"])
    beta_on_alpha = portal_client(federation.alpha, federation.user("beta-admin"))
    assert beta_on_alpha.get(f"/support/{ticket.pk}/").status_code == 403
    # beta's own host has its own numbering: the same id is not alpha's ticket
    beta = portal_client(federation.beta, federation.user("beta-admin"))
    assert beta.get(f"/support/{ticket.pk}/").status_code == 404
    assert beta.post(f"/support/{ticket.pk}/", {"body": "x"}).status_code == 404
    with schema_context("agency_alpha"):
        assert ticket.messages.count() == 1


def test_forms_need_the_csrf_token(federation, people):
    client = Client(HTTP_HOST=host_of(federation.alpha), enforce_csrf_checks=True)
    client.force_login(federation.user("alpha-staff"))
    response = client.post("/support/new/", {"subject": "x", "kind": "incident"})
    assert response.status_code == 403


def test_the_queue_is_central_its_and_costs_the_same_for_any_length(federation, people):
    desk = portal_client(None, federation.user("desk"))
    _open(federation.alpha, people["alpha-staff"], "A")
    _open(federation.beta, people["beta-staff"], "B")
    few, response = count_queries(lambda: desk.get("/support/queue/"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
    for i in range(8):
        _open(
            federation.alpha if i % 2 else federation.beta,
            people["alpha-staff" if i % 2 else "beta-staff"],
            f"T{i}",
        )
    many, response = count_queries(lambda: desk.get("/support/queue/"))
    assert len(response.context["rows"]) == 10
    assert many == few
    for name in ("fin", "alpha-admin"):
        assert portal_client(None, federation.user(name)).get("/support/queue/").status_code == 403


def test_the_ticket_view_explains_its_clocks_and_takes_a_reply(federation, people, cat):
    ticket = _open(federation.alpha, people["alpha-staff"], "Clocked", service=cat.mail.service_id)
    desk = portal_client(None, federation.user("desk"))
    url = f"/support/tickets/{federation.alpha.pk}/{ticket.pk}/"
    page = desk.get(url, **EN)
    assert page.status_code == 200
    assert b"First response" in page.content and b"Resolution" in page.content
    desk.post(url, {"body": "We are on it.", "internal": ""})
    desk.post(url + "take/")
    with schema_context("agency_alpha"):
        ticket.refresh_from_db()
        assert ticket.first_response_at is not None
        assert ticket.assignee_id == federation.user("desk").pk
    # a finance user cannot open it
    assert portal_client(None, federation.user("fin")).get(url).status_code == 403


def test_a_chat_is_a_ticket_of_the_person_and_polls_its_lines(federation, people):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    response = client.post("/support/chat/", {"text": "Hej, VPN:en fungerar inte"})
    with schema_context("agency_alpha"):
        ticket = Ticket.objects.get(channel="chat")
    assert response["Location"] == f"/support/chat/{ticket.pk}/"
    # a new line through htmx returns just the conversation
    partial = client.post(
        f"/support/chat/{ticket.pk}/", {"text": "Det gäller hemifrån"}, HTTP_HX_REQUEST="true"
    )
    assert b"Det g\xc3\xa4ller hemifr\xc3\xa5n" in partial.content
    assert b"<html" not in partial.content
    # another staff member of alpha cannot read it
    other = portal_client(federation.alpha, federation.user("alpha-admin"))
    assert other.get(f"/support/chat/{ticket.pk}/").status_code == 404
