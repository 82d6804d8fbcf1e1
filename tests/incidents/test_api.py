"""majorIncidents and resolveMajorIncident through GraphQL: central IT sees every incident and
ticket; an agency's admins see only incidents that concern them, with only their own tickets,
and never another agency's identity."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import from_global_id, to_global_id

from services.catalogue.models import Service
from services.incidents.models import IncidentTicket, MajorIncident
from tests.graphql import gql
from tests.incidents.conftest import subscribe

pytestmark = pytest.mark.django_db

INCIDENTS = """
query { majorIncidents { totalCount edges { node {
  id state agenciesReported summary service { name }
  tickets { ticketId agency { slug } }
} } } }
"""

RESOLVE = """
mutation($id: ID!, $note: String!) {
  resolveMajorIncident(incident: $id, note: $note, resolveTickets: true) {
    incident { state }
    errors { field code message }
  }
}
"""


def _service(name):
    return Service.objects.create(name=name, category="infrastructure", owner="-")


@pytest.fixture
def incidents(four, report, run):
    """VPN: alpha, gamma and delta report. Mail and Print: beta, gamma and delta report;
    alpha subscribes to Print without reporting it."""
    vpn, mail_, print_ = _service("VPN"), _service("Mail"), _service("Print")
    tickets = {}
    for service, reporters in (
        (vpn, (four.alpha, four.gamma, four.delta)),
        (mail_, (four.beta, four.gamma, four.delta)),
        (print_, (four.beta, four.gamma, four.delta)),
    ):
        for agency in reporters:
            tickets[(service.name, agency.slug)] = report(agency, service)
    subscribe(four.alpha, print_)
    run()
    by_name = {i.service.name: i for i in MajorIncident.objects.select_related("service")}
    return by_name, tickets


def _nodes(response):
    assert response.errors == [], response.errors
    return {
        e["node"]["service"]["name"]: e["node"] for e in response.data["majorIncidents"]["edges"]
    }


def test_central_it_sees_every_incident_and_ticket(federation, four, incidents):
    by_name, tickets = incidents
    nodes = _nodes(gql(INCIDENTS, user=federation.user("desk")))
    assert set(nodes) == {"VPN", "Mail", "Print"}
    vpn = nodes["VPN"]
    assert (vpn["state"], vpn["agenciesReported"]) == ("OPEN", 3)
    assert [t["agency"]["slug"] for t in vpn["tickets"]] == ["alpha", "gamma", "delta"]
    assert vpn["tickets"][0]["ticketId"] == to_global_id(
        "AgencyTicket", f"{four.alpha.pk}.{tickets[('VPN', 'alpha')]}"
    )


def test_an_agency_admin_sees_what_concerns_the_agency_and_only_its_own_tickets(
    federation, four, incidents
):
    by_name, tickets = incidents
    # alpha reported VPN and subscribes to Print; it has nothing to do with Mail
    response = gql(INCIDENTS, agency=four.alpha, user=federation.user("alpha-admin"))
    nodes = _nodes(response)
    assert set(nodes) == {"VPN", "Print"}
    assert nodes["VPN"]["tickets"] == [
        {"ticketId": to_global_id("Ticket", tickets[("VPN", "alpha")]), "agency": None}
    ]
    assert nodes["Print"]["tickets"] == []
    # and the answer names no other agency, by slug, name or id
    text = json.dumps(response.body)
    for other in (four.beta, four.gamma, four.delta):
        assert other.slug not in text and other.name not in text
    assert all(
        from_global_id(t["ticketId"])[0] == "Ticket"
        for node in nodes.values()
        for t in node["tickets"]
    )
    # beta sees Mail and Print, with its own tickets only
    nodes = _nodes(gql(INCIDENTS, agency=four.beta, user=federation.user("beta-admin")))
    assert set(nodes) == {"Mail", "Print"}
    assert nodes["Print"]["tickets"] == [
        {"ticketId": to_global_id("Ticket", tickets[("Print", "beta")]), "agency": None}
    ]


def test_one_incident_by_id_follows_the_same_rule(federation, four, incidents):
    by_name, _tickets = incidents
    query = "query($id: ID!) { majorIncident(id: $id) { summary } }"
    mail_id = to_global_id("MajorIncident", by_name["Mail"].pk)
    alpha = gql(query, {"id": mail_id}, agency=four.alpha, user=federation.user("alpha-admin"))
    beta = gql(query, {"id": mail_id}, agency=four.beta, user=federation.user("beta-admin"))
    assert alpha.data == {"majorIncident": None}
    assert beta.data["majorIncident"]["summary"].startswith("Tickets about Mail")


@pytest.mark.parametrize(
    ("who", "on_agency_host"),
    [
        ("alpha-staff", True),
        ("alpha-admin", False),  # an agency admin on the central host
        ("nobody", False),
        (None, False),
    ],
)
def test_others_see_no_incidents(federation, four, incidents, who, on_agency_host):
    user = federation.user(who) if who else None
    response = gql(INCIDENTS, agency=four.alpha if on_agency_host else None, user=user)
    assert response.data["majorIncidents"] == {"totalCount": 0, "edges": []}


def test_a_central_role_is_turned_away_at_an_agency_host(federation, four, incidents):
    response = gql(INCIDENTS, agency=four.alpha, user=federation.user("desk"))
    assert (response.status, response.data) == (403, None)
    assert [e["extensions"]["code"] for e in response.errors] == ["FORBIDDEN"]


def test_the_list_costs_the_same_number_of_queries_for_more_incidents(federation, four):
    ids = iter(range(1, 1000))

    def make(n):
        for i in range(n):
            incident = MajorIncident.objects.create(
                service=_service(f"S{MajorIncident.objects.count()}-{i}"),
                window_starts_at="2026-11-22T10:00:00Z",
                summary="-",
                agencies_reported=4,
            )
            for agency in four.all:
                for _ in range(2):
                    IncidentTicket.objects.create(
                        incident=incident, agency=agency, ticket_id=next(ids) + 10_000
                    )

    def count(user, agency=None):
        with CaptureQueriesContext(connection) as ctx:
            response = gql(INCIDENTS, user=user, agency=agency)
        assert response.errors == []
        return len(ctx.captured_queries), response.data["majorIncidents"]["totalCount"]

    desk, admin = federation.user("desk"), four.admins["alpha"]
    make(2)
    small = count(desk), count(admin, four.alpha)
    make(8)
    large = count(desk), count(admin, four.alpha)
    assert [q for q, _n in large] == [q for q, _n in small]
    assert [n for _q, n in small] == [2, 2] and [n for _q, n in large] == [10, 10]


def test_the_desk_resolves_through_the_api(federation, four, incidents):
    by_name, _tickets = incidents
    vpn = to_global_id("MajorIncident", by_name["VPN"].pk)
    response = gql(RESOLVE, {"id": vpn, "note": "Åtgärdat"}, user=federation.user("desk"))
    assert response.data["resolveMajorIncident"] == {
        "incident": {"state": "RESOLVED"},
        "errors": [],
    }


@pytest.mark.parametrize(
    ("who", "on_agency_host"), [("alpha-admin", True), ("alpha-admin", False), ("tech", False)]
)
def test_others_cannot_resolve_and_nothing_changes(
    federation, four, incidents, who, on_agency_host
):
    by_name, _tickets = incidents
    vpn = to_global_id("MajorIncident", by_name["VPN"].pk)
    response = gql(
        RESOLVE,
        {"id": vpn, "note": "Åtgärdat"},
        user=federation.user(who),
        agency=four.alpha if on_agency_host else None,
    )
    payload = response.data["resolveMajorIncident"]
    assert payload["incident"] is None
    assert [e["code"] for e in payload["errors"]] == ["PERMISSION_DENIED"]
    assert MajorIncident.objects.get(pk=by_name["VPN"].pk).state == "open"


def test_a_bad_resolution_names_the_field(federation, four, incidents):
    by_name, _tickets = incidents
    vpn = to_global_id("MajorIncident", by_name["VPN"].pk)
    response = gql(RESOLVE, {"id": vpn, "note": " "}, user=federation.user("desk"))
    assert response.data["resolveMajorIncident"]["errors"] == [
        {"field": "note", "code": "REQUIRED", "message": "Say what was wrong and what was done."}
    ]
    response = gql(RESOLVE, {"id": "bad", "note": "x"}, user=federation.user("desk"))
    assert [e["field"] for e in response.data["resolveMajorIncident"]["errors"]] == ["incident"]
