"""Chat is a web channel too: its replies carry knowledge-base suggestions for the person's
line (never another agency's article, none for an agent's line)."""

import pytest
from graphql_relay import from_global_id

from api.core.refs import central_id
from tests.graphql import gql

pytestmark = pytest.mark.django_db

START = """mutation($text: String!) { startChat(text: $text) {
  ticket { id } suggestions { kind title } errors { code } } }"""
SEND = """mutation($ticket: ID!, $text: String!) { sendChatMessage(ticket: $ticket, text: $text) {
  suggestions { title } errors { code } } }"""


def test_a_chat_answers_with_suggestions_for_the_persons_lines(federation, people, kb):
    staff = federation.user("alpha-staff")
    # when alpha's staff starts a chat about the printer
    r = gql(START, {"text": "Skrivaren på plan 3 krånglar"}, agency=federation.alpha, user=staff)
    payload = r.data["startChat"]
    # then the reply suggests alpha's own article and the shared one, not beta's
    assert payload["errors"] == []
    assert payload["suggestions"] == [
        {"kind": "AGENCY", "title": "Alfas skrivare på plan 3"},
        {"kind": "SHARED", "title": "Skrivaren skriver inte ut"},
    ]
    # and a later line about VPN suggests the VPN articles
    r = gql(
        SEND,
        {"ticket": payload["ticket"]["id"], "text": "Och VPN kopplar ner hela tiden"},
        agency=federation.alpha,
        user=staff,
    )
    assert [s["title"] for s in r.data["sendChatMessage"]["suggestions"]] == [
        "VPN kopplar ner",
        "Arbeta hemifrån",
    ]
    # and an agent's line carries none
    pk = int(from_global_id(payload["ticket"]["id"])[1])
    r = gql(
        SEND,
        {"ticket": central_id("Ticket", federation.alpha.pk, pk), "text": "Starta om skrivaren"},
        user=federation.user("desk"),
    )
    assert r.data["sendChatMessage"] == {"suggestions": [], "errors": []}


def test_a_refused_chat_line_has_no_suggestions(federation, people, kb):
    r = gql(START, {"text": "  "}, agency=federation.alpha, user=federation.user("alpha-staff"))
    assert r.data["startChat"]["suggestions"] is None
    assert r.data["startChat"]["errors"] == [{"code": "REQUIRED"}]
