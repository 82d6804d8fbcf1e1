"""The accessibility statement (issue 21): on every host, linked from every page's footer,
readable without signing in, in Swedish and English; a member's report opens a ticket."""

import pytest
from django_tenants.utils import schema_context

from services.support.models import Kind, Ticket
from tests.portal.client import portal_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["alpha", "central"])
def test_the_statement_is_public_on_every_host_and_names_the_enforcement_body(federation, host):
    agency = federation.alpha if host == "alpha" else None
    page = portal_client(agency).get("/accessibility/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Accessibility statement for Samnav" in text
    assert "https://www.digg.se/tdosanmalan" in text and "Known gaps" in text
    # a visitor who is not signed in is told where to write, not given a form
    assert "<textarea" not in text and "mailto:" in text


def test_the_statement_is_swedish_by_default(federation):
    page = portal_client(federation.alpha).get("/accessibility/", HTTP_ACCEPT_LANGUAGE="sv")
    text = page.content.decode()
    assert "Tillgänglighetsredogörelse för Samnav" in text
    assert "Tillsyn" in text


def test_every_page_links_to_the_statement_from_its_footer(federation):
    home = portal_client(federation.alpha, federation.user("alpha-staff")).get("/")
    footer = home.content.decode().split('role="contentinfo"', 1)[1]
    assert 'href="/accessibility/"' in footer


def test_a_members_report_opens_a_ticket_for_them(federation, people):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    form = client.get("/accessibility/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<textarea" in form
    response = client.post(
        "/accessibility/report/",
        {"page": "Rapportera ett problem", "description": "Felmeddelandet läses inte upp."},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    with schema_context("agency_alpha"):
        ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.kind, ticket.requester_id) == (
        "Accessibility: Rapportera ett problem",
        Kind.QUESTION,
        people["alpha-staff"].pk,
    )
    assert response["Location"] == f"/support/{ticket.pk}/"


def test_an_empty_report_names_the_fields_and_opens_nothing(federation, people):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    response = client.post("/accessibility/report/", {"page": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"page", "description"}
    with schema_context("agency_alpha"):
        assert not Ticket.objects.exists()


def test_only_a_member_of_the_host_agency_reports(federation, people):
    # central IT on the central host has no agency to file the ticket in
    desk = portal_client(None, federation.user("desk"))
    assert desk.post("/accessibility/report/", {"page": "x", "description": "y"}).status_code == 403
    # and a visitor who is not signed in is sent to sign in
    anonymous = portal_client(federation.alpha)
    assert anonymous.post("/accessibility/report/", {}).status_code == 302
