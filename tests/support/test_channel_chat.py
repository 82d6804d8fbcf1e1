"""The chat channel through the real GraphQL endpoint: a conversation started on the agency's
host becomes a ticket (channel chat) with its messages; only its requester, the agency's
admins and central IT write in it."""

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from graphql_relay import from_global_id

from api.core.refs import central_id
from services.support.models import Channel, Ticket, TicketMessage
from tests.graphql import gql

pytestmark = pytest.mark.django_db

START = """mutation($text: String!) { startChat(text: $text) {
  ticket { id subject channel state requester { name } messages { body channel } }
  errors { field code message } } }"""
SEND = """mutation($ticket: ID!, $text: String!) { sendChatMessage(ticket: $ticket, text: $text) {
  ticket { id state firstResponseAt messages { body channel } } errors { field code } } }"""
TICKET = """query($id: ID!) { ticket(id: $id) { id channel messages { body } } }"""


def start(federation, who="alpha-staff", text="Hej! Outlook startar inte sedan i morse."):
    return gql(START, {"text": text}, agency=federation.alpha, user=federation.user(who))


def alpha_messages(pk):
    with schema_context("agency_alpha"):
        return list(TicketMessage.objects.filter(ticket_id=pk).values_list("body", "channel"))


def test_a_chat_started_by_staff_becomes_their_ticket_with_its_messages(federation, people):
    # when alpha's staff member starts a chat on alpha's host
    r = start(federation)
    payload = r.data["startChat"]
    # then a chat ticket is theirs, with the first line as its message
    assert payload["errors"] == []
    t = payload["ticket"]
    assert (t["channel"], t["state"], t["subject"]) == (
        "CHAT",
        "NEW",
        "Hej! Outlook startar inte sedan i morse.",
    )
    assert t["requester"] == {"name": "Staff of alpha"}
    assert t["messages"] == [
        {"body": "Hej! Outlook startar inte sedan i morse.", "channel": "CHAT"}
    ]
    # and they see it, and write on in the same conversation
    seen = gql(
        TICKET, {"id": t["id"]}, agency=federation.alpha, user=federation.user("alpha-staff")
    )
    assert seen.data["ticket"]["channel"] == "CHAT"
    more = gql(
        SEND,
        {"ticket": t["id"], "text": "Felkod 0x80040115"},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    ).data["sendChatMessage"]
    assert more["errors"] == []
    assert [m["body"] for m in more["ticket"]["messages"]] == [
        "Hej! Outlook startar inte sedan i morse.",
        "Felkod 0x80040115",
    ]
    pk = int(from_global_id(t["id"])[1])
    with schema_context("agency_alpha"):
        assert Ticket.objects.get(pk=pk).channel == Channel.CHAT
    assert alpha_messages(pk)[-1] == ("Felkod 0x80040115", "chat")
    with schema_context("agency_beta"):
        assert Ticket.objects.count() == 0


def test_an_agent_answers_in_the_chat_from_the_central_host_and_the_requester_is_mailed(
    federation, people, django_capture_on_commit_callbacks
):
    # given a chat started in alpha
    t = start(federation).data["startChat"]["ticket"]
    pk = int(from_global_id(t["id"])[1])
    # when the service desk answers it centrally
    with django_capture_on_commit_callbacks(execute=True):
        r = gql(
            SEND,
            {"ticket": central_id("Ticket", federation.alpha.pk, pk), "text": "Starta om datorn"},
            user=federation.user("desk"),
        ).data["sendChatMessage"]
    # then the line is the first response, and the requester gets it by mail with the reference
    assert r["errors"] == []
    assert r["ticket"]["state"] == "OPEN" and r["ticket"]["firstResponseAt"] is not None
    assert alpha_messages(pk)[-1] == ("Starta om datorn", "chat")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["staff@alpha.example"], f"Re: Hej! Outlook startar inte sedan i morse. [SN#alpha-{pk}]")
    ]


def test_beta_staff_cannot_post_in_alphas_chat(federation, people):
    # given alpha's chat ticket
    t = start(federation).data["startChat"]["ticket"]
    pk = int(from_global_id(t["id"])[1])
    beta = federation.user("beta-staff")
    # when beta's staff member posts on alpha's host: refused at the door
    r = gql(SEND, {"ticket": t["id"], "text": "intrång"}, agency=federation.alpha, user=beta)
    assert r.status == 403 and r.errors[0]["extensions"]["code"] == "FORBIDDEN"
    # when they post the same id on their own host: it names no ticket of theirs
    r = gql(SEND, {"ticket": t["id"], "text": "intrång"}, agency=federation.beta, user=beta)
    assert r.data["sendChatMessage"]["errors"][0]["code"] == "NOT_FOUND"
    # when they try alpha's ticket through the central form of its id
    r = gql(
        SEND,
        {"ticket": central_id("Ticket", federation.alpha.pk, pk), "text": "intrång"},
        user=beta,
    )
    assert r.data["sendChatMessage"]["errors"][0]["code"] == "PERMISSION_DENIED"
    # then alpha's ticket is unchanged
    assert alpha_messages(pk) == [("Hej! Outlook startar inte sedan i morse.", "chat")]


def test_a_colleague_cannot_post_in_someone_elses_chat_but_the_agency_admin_can(federation, people):
    from tenants.models import RoleGrant, User
    from tenants.roles import Role

    # given alpha's chat ticket, and a second staff member of alpha
    t = start(federation).data["startChat"]["ticket"]
    pk = int(from_global_id(t["id"])[1])
    colleague = User.objects.create_user(username="alpha-colleague", password="x-pass-123")
    RoleGrant.objects.create(user=colleague, role=Role.AGENCY_STAFF, agency=federation.alpha)
    # when the colleague posts in it: refused
    r = gql(SEND, {"ticket": t["id"], "text": "Jag med!"}, agency=federation.alpha, user=colleague)
    assert r.data["sendChatMessage"]["errors"][0]["code"] == "PERMISSION_DENIED"
    # when the agency's admin posts: accepted
    r = gql(
        SEND,
        {"ticket": t["id"], "text": "Jag kollar"},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert r.data["sendChatMessage"]["errors"] == []
    assert [b for b, _c in alpha_messages(pk)] == [
        "Hej! Outlook startar inte sedan i morse.",
        "Jag kollar",
    ]


@pytest.mark.parametrize(
    ("text", "field", "code"),
    [("   ", "text", "REQUIRED"), ("x" * 4001, "text", "INVALID")],
    ids=["blank", "too-long"],
)
def test_bad_chat_text_is_an_error_and_files_nothing(text, field, code, federation, people):
    r = start(federation, text=text).data["startChat"]
    assert r["ticket"] is None
    assert [(e["field"], e["code"]) for e in r["errors"]] == [(field, code)]
    with schema_context("agency_alpha"):
        assert Ticket.objects.count() == 0


def test_a_chat_is_started_on_an_agency_host_by_a_signed_in_member(federation, people):
    # on the central host there is no agency to file it in
    r = gql(START, {"text": "Hej"}, user=federation.user("desk")).data["startChat"]
    assert r["errors"][0]["code"] == "PERMISSION_DENIED"
    # signed out, the agency's host answers 401
    r = gql(START, {"text": "Hej"}, agency=federation.alpha)
    assert r.status == 401
    with schema_context("agency_alpha"):
        assert Ticket.objects.count() == 0


def test_every_line_is_shown_as_written_by_its_author(federation, people):
    """The agent's view named the requester's later lines "Central IT": they had an author
    account but no person. Each member's line is theirs, by name; the desk's is the desk's."""
    t = start(federation).data["startChat"]["ticket"]
    pk = int(from_global_id(t["id"])[1])
    desk_id = central_id("Ticket", federation.alpha.pk, pk)
    for who, ticket, text in (
        ("desk", desk_id, "Starta om datorn"),
        ("alpha-staff", t["id"], "Det hjälpte inte"),
        ("alpha-admin", t["id"], "Jag tittar också på det"),
    ):
        agency = None if who == "desk" else federation.alpha
        sent = gql(SEND, {"ticket": ticket, "text": text}, agency=agency, user=federation.user(who))
        assert sent.data["sendChatMessage"]["errors"] == []
    with schema_context("agency_alpha"):
        authors = [
            (m.body, m.author_person.name if m.author_person else None)
            for m in TicketMessage.objects.filter(ticket_id=pk).order_by("id")
        ]
    assert authors == [
        ("Hej! Outlook startar inte sedan i morse.", "Staff of alpha"),
        ("Starta om datorn", None),
        ("Det hjälpte inte", "Staff of alpha"),
        ("Jag tittar också på det", people["alpha-admin"].name),
    ]
