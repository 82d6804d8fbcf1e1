"""Tickets through GraphQL: open, reply, pause, resolve; who sees what; clocks."""

import base64
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.crossindex.models import IndexEntry
from services.support.models import Ticket
from tests.graphql import gql

pytestmark = pytest.mark.django_db

OPEN = """mutation($input: OpenTicketInput!) { openTicket(input: $input) {
  ticket { id subject state priority channel requester { name }
           clocks { clock state targetMinutes } messages { body } }
  errors { field code message } } }"""
REPLY = """mutation($id: ID!, $body: String!, $internal: Boolean) {
  addTicketMessage(ticket: $id, body: $body, internal: $internal) {
    ticket { state firstResponseAt messages { body isInternal } } errors { field code } } }"""
STATE = """mutation($id: ID!, $state: TicketState!) { changeTicketState(ticket: $id, state: $state)
  { ticket { state clocks { clock state explanation } } errors { field code } } }"""
QUEUE = """{ serviceDeskQueue(first: 100) { totalCount edges { node { ticketId state priority
  dueAt group agency { slug } } } } }"""


def open_ticket(federation, who="alpha-staff", agency=None, **extra):
    agency = agency or federation.alpha
    data = {
        "subject": "Skrivaren skriver inte ut",
        "description": "Pappersstopp i lådan",
        "impact": 2,
        "urgency": 1,
        **extra,
    }
    return gql(OPEN, {"input": data}, agency=agency, user=federation.user(who)).data["openTicket"]


def central(federation, ticket_id, agency=None):
    from graphql_relay import from_global_id

    agency = agency or federation.alpha
    return to_global_id("AgencyTicket", f"{agency.pk}.{from_global_id(ticket_id)[1]}")


def test_staff_open_a_ticket_that_reaches_the_central_queue(federation, people, cat):
    payload = open_ticket(federation, offering=to_global_id("Offering", cat.mail.pk))
    assert payload["errors"] == []
    t = payload["ticket"]
    assert (t["state"], t["priority"], t["channel"]) == ("NEW", 2, "API")
    assert t["requester"] == {"name": "Staff of alpha"}
    assert {(c["clock"], c["targetMinutes"]) for c in t["clocks"]} == {
        ("response", 60),
        ("resolution", 480),
    }
    q = gql(QUEUE, user=federation.user("desk")).data["serviceDeskQueue"]
    assert q["totalCount"] == 1
    node = q["edges"][0]["node"]
    assert (node["agency"]["slug"], node["state"], node["priority"]) == ("alpha", "NEW", 2)
    assert node["dueAt"] is not None
    assert node["ticketId"] == central(federation, t["id"])


def test_an_agents_reply_is_the_first_response_and_internal_notes_stay_central(
    federation, people, cat
):
    t = open_ticket(federation)["ticket"]
    cid = central(federation, t["id"])
    r = gql(
        REPLY,
        {"id": cid, "body": "Vi tittar på det", "internal": False},
        user=federation.user("desk"),
    )
    assert r.data["addTicketMessage"]["ticket"]["state"] == "OPEN"
    assert r.data["addTicketMessage"]["ticket"]["firstResponseAt"] is not None
    gql(
        REPLY,
        {"id": cid, "body": "Leverantören har fel i firmware", "internal": True},
        user=federation.user("desk"),
    )
    mine = gql(
        """query($id: ID!) { ticket(id: $id) { messages { body isInternal } } }""",
        {"id": t["id"]},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    )
    bodies = [m["body"] for m in mine.data["ticket"]["messages"]]
    assert "Vi tittar på det" in bodies and "Leverantören har fel i firmware" not in bodies
    # staff may not write internal notes
    r = gql(
        REPLY,
        {"id": t["id"], "body": "hemligt", "internal": True},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    )
    assert r.data["addTicketMessage"]["errors"][0]["code"] == "PERMISSION_DENIED"


def test_waiting_on_the_requester_pauses_and_a_reply_resumes(federation, people, cat):
    t = open_ticket(federation)["ticket"]
    cid = central(federation, t["id"])
    r = gql(STATE, {"id": cid, "state": "WAITING_REQUESTER"}, user=federation.user("desk"))
    clocks = {c["clock"]: c for c in r.data["changeTicketState"]["ticket"]["clocks"]}
    assert clocks["resolution"]["state"] == "paused"
    assert IndexEntry.objects.get(kind="ticket").due_at is None or clocks["response"]["state"]
    r = gql(
        REPLY,
        {"id": t["id"], "body": "Nu har jag startat om den"},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    )
    assert r.data["addTicketMessage"]["ticket"]["state"] == "OPEN"
    with schema_context("agency_alpha"):
        kinds = list(
            Ticket.objects.get()
            .clock_events.filter(clock="resolution")
            .values_list("kind", flat=True)
        )
    assert kinds == ["started", "paused", "resumed"]


def test_resolve_then_reopen_within_the_window_and_not_after(federation, people, cat, settings):
    t = open_ticket(federation)["ticket"]
    r = gql(
        STATE,
        {"id": t["id"], "state": "RESOLVED"},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    )
    assert r.data["changeTicketState"]["ticket"]["state"] == "RESOLVED"
    r = gql(
        STATE,
        {"id": t["id"], "state": "OPEN"},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    )
    assert r.data["changeTicketState"]["ticket"]["state"] == "OPEN"
    gql(
        STATE,
        {"id": t["id"], "state": "RESOLVED"},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    )
    with schema_context("agency_alpha"):
        Ticket.objects.update(resolved_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    r = gql(
        STATE,
        {"id": t["id"], "state": "OPEN"},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    )
    assert r.data["changeTicketState"]["errors"] == [{"field": "state", "code": "REOPEN_EXPIRED"}]
    # staff may not put tickets in the agents' states
    r = gql(
        STATE,
        {"id": t["id"], "state": "WAITING_SUPPLIER"},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    )
    assert r.data["changeTicketState"]["errors"][0]["code"] == "PERMISSION_DENIED"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"subject": "  "}, "subject", "REQUIRED"),
        ({"impact": 5}, "impact", "OUT_OF_RANGE"),
        ({"urgency": 0}, "urgency", "OUT_OF_RANGE"),
        ({"service": to_global_id("Service", 999999)}, "service", "NOT_FOUND"),
        (
            {
                "attachments": [
                    {
                        "filename": "faktura.pdf",
                        "contentBase64": base64.b64encode(b"MZ\x90\x00 not a pdf").decode(),
                    }
                ]
            },
            "attachments.0",
            "ATTACHMENT_TYPE",
        ),
        (
            {
                "attachments": [
                    {
                        "filename": "virus.exe",
                        "contentBase64": base64.b64encode(b"MZ\x90\x00").decode(),
                    }
                ]
            },
            "attachments.0",
            "ATTACHMENT_TYPE",
        ),
        (
            {"attachments": [{"filename": "a.txt", "contentBase64": "###"}]},
            "attachments.0",
            "INVALID",
        ),
    ],
)
def test_bad_tickets_are_refused_and_nothing_is_written(
    federation, people, cat, change, field, code
):
    payload = open_ticket(federation, **change)
    assert payload["ticket"] is None
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in payload["errors"]
    ]
    with schema_context("agency_alpha"):
        assert not Ticket.objects.exists()
    assert not IndexEntry.objects.filter(kind="ticket").exists()


def test_an_oversized_attachment_is_refused(federation, people, cat, settings):
    settings.SAMNAV_ATTACHMENT_MAX_BYTES = 100
    payload = open_ticket(
        federation,
        attachments=[
            {"filename": "logg.txt", "contentBase64": base64.b64encode(b"x" * 101).decode()}
        ],
    )
    assert payload["errors"][0]["code"] == "ATTACHMENT_TOO_LARGE"
    payload = open_ticket(
        federation,
        attachments=[
            {"filename": "logg.txt", "contentBase64": base64.b64encode(b"x" * 100).decode()}
        ],
    )
    assert payload["errors"] == []


def test_who_sees_which_tickets(federation, people, cat):
    mine = open_ticket(federation)["ticket"]
    open_ticket(federation, who="alpha-admin")
    open_ticket(federation, who="beta-staff", agency=federation.beta)
    q = "{ tickets { totalCount } }"
    assert gql(q, agency=federation.alpha, user=federation.user("alpha-admin")).data == {
        "tickets": {"totalCount": 2}
    }
    assert gql(q, agency=federation.alpha, user=federation.user("alpha-staff")).data == {
        "tickets": {"totalCount": 1}
    }
    r = gql(q, agency=federation.beta, user=federation.user("alpha-admin"))
    assert r.status == 403 and r.data is None
    # beta's admin, with alpha's ticket id, on beta's host: a different schema, another row
    r = gql(
        """query($id: ID!) { ticket(id: $id) { subject requester { name } } }""",
        {"id": mine["id"]},
        agency=federation.beta,
        user=federation.user("beta-admin"),
    )
    assert r.data["ticket"] is None or r.data["ticket"]["requester"]["name"] != ("Staff of alpha")
    # agency roles get no central queue; beta's admin cannot reply to alpha's ticket centrally
    for who in ("alpha-admin", "beta-admin", "fin"):
        assert gql(QUEUE, user=federation.user(who)).data["serviceDeskQueue"]["totalCount"] == 0
    r = gql(
        REPLY,
        {"id": central(federation, mine["id"]), "body": "hej"},
        user=federation.user("beta-admin"),
    )
    assert r.data["addTicketMessage"]["errors"][0]["code"] == "PERMISSION_DENIED"


def _count(query, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        r = gql(query, **kwargs)
    assert not r.errors, r.errors
    return len(ctx.captured_queries)


TICKETS = """{ tickets(first: 100) { totalCount edges { node { subject state requester { name }
  messages { body attachments { filename } } clockEvents { kind } } } } }"""


def test_lists_keep_a_constant_number_of_queries(federation, people, cat):
    for _ in range(5):
        open_ticket(federation)
    small = (
        _count(TICKETS, agency=federation.alpha, user=federation.user("alpha-admin")),
        _count(QUEUE, user=federation.user("desk")),
    )
    for _ in range(45):
        open_ticket(federation)
    for _ in range(10):
        open_ticket(federation, who="beta-staff", agency=federation.beta)
    assert (
        _count(TICKETS, agency=federation.alpha, user=federation.user("alpha-admin")),
        _count(QUEUE, user=federation.user("desk")),
    ) == small


REPRIORITISE = """mutation($id: ID!, $impact: Int, $urgency: Int) {
  reprioritiseTicket(ticket: $id, impact: $impact, urgency: $urgency) {
    ticket { priority clocks { clock targetMinutes elapsedMinutes } } errors { field code } } }"""


def test_a_new_priority_keeps_the_minutes_counted(federation, people, cat):
    from services.support.models import ClockEvent

    t = open_ticket(federation, offering=to_global_id("Offering", cat.mail.pk))["ticket"]
    with schema_context("agency_alpha"):
        ticket = Ticket.objects.get()
        earlier = ticket.created_at - dt.timedelta(minutes=20)
        Ticket.objects.update(created_at=earlier)
        ClockEvent.objects.update(at=earlier)
    cid = central(federation, t["id"])
    # staff may not; bad values are named
    r = gql(
        REPRIORITISE,
        {"id": t["id"], "impact": 1},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    )
    assert r.data["reprioritiseTicket"]["errors"][0]["code"] == "PERMISSION_DENIED"
    r = gql(REPRIORITISE, {"id": cid, "impact": 7}, user=federation.user("desk"))
    assert r.data["reprioritiseTicket"]["errors"] == [{"field": "impact", "code": "OUT_OF_RANGE"}]
    # priority 2 -> 1: response target 60 -> 30, the 20 minutes counted are kept
    r = gql(REPRIORITISE, {"id": cid, "impact": 1, "urgency": 1}, user=federation.user("desk"))
    got = r.data["reprioritiseTicket"]["ticket"]
    clocks = {c["clock"]: c for c in got["clocks"]}
    assert got["priority"] == 1
    assert clocks["response"]["targetMinutes"] == 30
    assert 20 <= clocks["response"]["elapsedMinutes"] <= 21
    assert IndexEntry.objects.get(kind="ticket").priority == 1


def test_the_queue_filters_by_group_assignee_and_priority(federation, people, cat):
    t = open_ticket(federation)["ticket"]
    open_ticket(federation, impact=3, urgency=3)
    assign = """mutation($id: ID!) { assignTicket(ticket: $id, assignee: "tech", group: "falt")
      { errors { field code } } }"""
    assert (
        gql(assign, {"id": central(federation, t["id"])}, user=federation.user("desk")).data[
            "assignTicket"
        ]["errors"]
        == []
    )
    q = """query($g: String, $a: String, $p: Int) { serviceDeskQueue(group: $g, assignee: $a,
      priority: $p) { totalCount edges { node { group assignee priority } } } }"""
    by_group = gql(q, {"g": "falt"}, user=federation.user("desk")).data["serviceDeskQueue"]
    assert by_group["totalCount"] == 1
    assert by_group["edges"][0]["node"] == {"group": "falt", "assignee": "tech", "priority": 2}
    assert (
        gql(q, {"a": "tech"}, user=federation.user("desk")).data["serviceDeskQueue"]["totalCount"]
        == 1
    )
    assert (
        gql(q, {"p": 4}, user=federation.user("desk")).data["serviceDeskQueue"]["totalCount"] == 1
    )
    assert (
        gql(q, {"g": "servicedesk"}, user=federation.user("desk")).data["serviceDeskQueue"][
            "totalCount"
        ]
        == 1
    )


def test_a_ticket_links_to_the_agencys_own_device_only(federation, people, cat):
    from services.devices.models import Device

    with schema_context("agency_alpha"):
        laptop = Device.objects.create(
            serial_number="PF3X9", model="Laptop 14", holder=people["alpha-staff"]
        )
    with schema_context("agency_beta"):
        other = Device.objects.create(serial_number="ZZ001", model="Laptop 13")
    t = open_ticket(federation, device=to_global_id("Device", laptop.pk))["ticket"]
    q = """query($id: ID!) { ticket(id: $id) { device { serialNumber holderName } } }"""
    r = gql(q, {"id": t["id"]}, agency=federation.alpha, user=federation.user("alpha-staff"))
    assert r.data["ticket"]["device"] == {"serialNumber": "PF3X9", "holderName": "Staff of alpha"}
    # beta's device id means nothing in alpha (unless the same pk exists there: then alpha's)
    payload = open_ticket(federation, device=to_global_id("Device", other.pk + 1000))
    assert payload["errors"] == [
        {"field": "device", "code": "NOT_FOUND", "message": payload["errors"][0]["message"]}
    ]
    with schema_context("agency_alpha"):
        assert Ticket.objects.count() == 1
    # devices: admins see all of theirs, staff what they hold, beta's admin nothing of alpha's
    d = "{ devices { totalCount edges { node { serialNumber } } } }"
    assert (
        gql(d, agency=federation.alpha, user=federation.user("alpha-staff")).data["devices"][
            "totalCount"
        ]
        == 1
    )
    assert gql(d, agency=federation.beta, user=federation.user("beta-admin")).data["devices"][
        "edges"
    ] == [{"node": {"serialNumber": "ZZ001"}}]
    assert gql(d, agency=federation.alpha, user=federation.user("beta-admin")).status == 403
