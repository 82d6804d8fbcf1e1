"""The service desk's ticket mutations in GraphQL: the same actions as the ticket page
(priority with a reason, merging and links), central IT's agents only, one agency at a time."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.support import actions
from services.support.models import Ticket, TicketLink, TicketState
from tests.graphql import gql

pytestmark = pytest.mark.django_db


def _open(agency, person, subject):
    return actions.open_ticket(agency, person, actions.NewTicket(subject=subject), channel="web")


def _ref(agency, ticket) -> str:
    return to_global_id("AgencyTicket", f"{agency.pk}.{ticket.pk}")


PRIORITY = """mutation($t: ID!, $p: Int!, $r: String!) {
  setTicketPriority(ticket: $t, priority: $p, reason: $r) {
    ticket { priority } errors { field code } } }"""
MERGE = """mutation($d: ID!, $i: ID!) {
  mergeTickets(duplicate: $d, into: $i, reason: "Same") {
    ticket { subject } errors { field code } } }"""
LINK = """mutation($t: ID!, $o: ID!) {
  linkTickets(ticket: $t, other: $o) { errors { field code } } }"""
UNLINK = """mutation($t: ID!, $o: ID!) {
  unlinkTickets(ticket: $t, other: $o) { errors { field code } } }"""


def test_an_agent_sets_the_priority_merges_and_links_through_the_api(federation, people):
    fed = federation
    desk = fed.user("desk")
    target = _open(fed.alpha, people["alpha-staff"], "Target")
    dup = _open(fed.alpha, people["alpha-admin"], "Duplicate")
    other = _open(fed.alpha, people["alpha-staff"], "Related")
    answer = gql(PRIORITY, {"t": _ref(fed.alpha, target), "p": 1, "r": "Hits everyone"}, user=desk)
    assert answer.data["setTicketPriority"] == {"ticket": {"priority": 1}, "errors": []}
    refused = gql(PRIORITY, {"t": _ref(fed.alpha, target), "p": 2, "r": ""}, user=desk)
    assert refused.data["setTicketPriority"]["errors"] == [{"field": "reason", "code": "REQUIRED"}]
    answer = gql(MERGE, {"d": _ref(fed.alpha, dup), "i": _ref(fed.alpha, target)}, user=desk)
    assert answer.data["mergeTickets"] == {"ticket": {"subject": "Target"}, "errors": []}
    gql(LINK, {"t": _ref(fed.alpha, target), "o": _ref(fed.alpha, other)}, user=desk)
    with schema_context("agency_alpha"):
        assert Ticket.objects.get(pk=dup.pk).state == TicketState.CLOSED
        assert TicketLink.objects.filter(ticket_id=target.pk, other_id=other.pk).exists()
    gql(UNLINK, {"t": _ref(fed.alpha, other), "o": _ref(fed.alpha, target)}, user=desk)
    with schema_context("agency_alpha"):
        assert not TicketLink.objects.exists()


def test_tickets_of_two_agencies_are_neither_merged_nor_linked(federation, people):
    fed = federation
    desk = fed.user("desk")
    alpha = _open(fed.alpha, people["alpha-staff"], "Alpha's")
    beta = _open(fed.beta, people["beta-staff"], "Beta's")
    answer = gql(MERGE, {"d": _ref(fed.beta, beta), "i": _ref(fed.alpha, alpha)}, user=desk)
    assert answer.data["mergeTickets"]["errors"] == [{"field": "into", "code": "INVALID"}]
    answer = gql(LINK, {"t": _ref(fed.alpha, alpha), "o": _ref(fed.beta, beta)}, user=desk)
    assert answer.data["linkTickets"]["errors"] == [{"field": "other", "code": "INVALID"}]
    # and an agency's admin may do neither, on its own host
    answer = gql(
        LINK,
        {"t": to_global_id("Ticket", alpha.pk), "o": to_global_id("Ticket", alpha.pk + 1)},
        agency=fed.alpha,
        user=fed.user("alpha-admin"),
    )
    assert answer.data["linkTickets"]["errors"][0]["code"] == "PERMISSION_DENIED"
    with schema_context("agency_beta"):
        assert Ticket.objects.get(pk=beta.pk).merged_into_id is None
