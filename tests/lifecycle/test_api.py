"""replacementProposals, acceptReplacementProposal and dismissReplacementProposal through
GraphQL: the agency's admins on its host only; another agency sees and decides nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.devices.replacements.models import ReplacementProposal
from services.devices.replacements.proposals import propose
from services.ordering.models import Order
from tests.graphql import gql
from tests.lifecycle.conftest import TODAY, device

pytestmark = pytest.mark.django_db

LIST = """query { replacementProposals { totalCount edges { node {
  id state reason dueOn orderId device { serialNumber holderName } offering { code }
} } } }"""
ACCEPT = """mutation($id: ID!) { acceptReplacementProposal(proposal: $id) {
  proposal { state orderId } order { state lines { quantity offering { code } } }
  errors { field code } } }"""
DISMISS = """mutation($id: ID!, $reason: String!) {
  dismissReplacementProposal(proposal: $id, reason: $reason) {
    proposal { state dismissedReason } errors { field code } } }"""


@pytest.fixture
def proposal(federation, cat, admins):
    device(federation.alpha, "W30", warranty=30)
    [made] = propose(federation.alpha, TODAY)
    return to_global_id("ReplacementProposal", made.pk), made.pk


def _state(pk):
    with schema_context("agency_alpha"):
        return ReplacementProposal.objects.get(pk=pk).state, Order.objects.count()


def test_the_agencys_admin_lists_its_proposals(federation, proposal):
    response = gql(LIST, agency=federation.alpha, user=federation.user("alpha-admin"))
    assert response.errors == []
    assert response.data["replacementProposals"] == {
        "totalCount": 1,
        "edges": [
            {
                "node": {
                    "id": proposal[0],
                    "state": "PROPOSED",
                    "reason": "WARRANTY",
                    "dueOn": "2026-12-22",
                    "orderId": None,
                    "device": {"serialNumber": "W30", "holderName": None},
                    "offering": {"code": "lc-laptop-std"},
                }
            }
        ],
    }


@pytest.mark.parametrize(
    ("who", "host"), [("beta-admin", "beta"), ("alpha-staff", "alpha"), ("desk", None)]
)
def test_nobody_else_sees_them(federation, proposal, who, host):
    agency = getattr(federation, host) if host else None
    response = gql(LIST, agency=agency, user=federation.user(who))
    assert response.data["replacementProposals"] == {"totalCount": 0, "edges": []}


def test_the_admin_accepts_through_the_api(federation, proposal):
    response = gql(
        ACCEPT, {"id": proposal[0]}, agency=federation.alpha, user=federation.user("alpha-admin")
    )
    payload = response.data["acceptReplacementProposal"]
    assert payload["errors"] == []
    assert payload["proposal"]["state"] == "ORDERED"
    assert payload["order"] == {
        "state": "AWAITING_FULFILMENT",
        "lines": [{"quantity": 1, "offering": {"code": "lc-laptop-std"}}],
    }
    with schema_context("agency_alpha"):
        order = Order.objects.get()
    assert payload["proposal"]["orderId"] == to_global_id("Order", order.pk)


@pytest.mark.parametrize(
    ("who", "host", "code"),
    [
        ("beta-admin", "beta", "NOT_FOUND"),  # alpha's id names nothing in beta
        ("alpha-staff", "alpha", "PERMISSION_DENIED"),
        ("desk", None, "PERMISSION_DENIED"),  # central host: no agency to act in
    ],
)
def test_nobody_else_decides_and_nothing_changes(federation, proposal, who, host, code):
    agency = getattr(federation, host) if host else None
    for query, variables in (
        (ACCEPT, {"id": proposal[0]}),
        (DISMISS, {"id": proposal[0], "reason": "Nej"}),
    ):
        response = gql(query, variables, agency=agency, user=federation.user(who))
        payload = next(iter(response.data.values()))
        assert payload["proposal"] is None
        assert [e["code"] for e in payload["errors"]] == [code]
    assert _state(proposal[1]) == ("proposed", 0)


def test_a_refusal_comes_back_as_errors_naming_the_field(federation, proposal):

    from services.ordering.models import Budget

    with schema_context("agency_alpha"):
        Budget.objects.create(year=timezone.localdate().year, amount_ore=1)
    response = gql(
        ACCEPT, {"id": proposal[0]}, agency=federation.alpha, user=federation.user("alpha-admin")
    )
    assert response.data["acceptReplacementProposal"] == {
        "proposal": None,
        "order": None,
        "errors": [{"field": "budget", "code": "BUDGET_EXCEEDED"}],
    }
    assert _state(proposal[1]) == ("proposed", 0)


def test_the_admin_dismisses_through_the_api(federation, proposal):
    admin = federation.user("alpha-admin")
    response = gql(DISMISS, {"id": proposal[0], "reason": ""}, agency=federation.alpha, user=admin)
    assert response.data["dismissReplacementProposal"]["errors"] == [
        {"field": "reason", "code": "REQUIRED"}
    ]
    response = gql(
        DISMISS, {"id": proposal[0], "reason": "Flytt"}, agency=federation.alpha, user=admin
    )
    assert response.data["dismissReplacementProposal"] == {
        "proposal": {"state": "DISMISSED", "dismissedReason": "Flytt"},
        "errors": [],
    }


def test_the_list_costs_the_same_number_of_queries_for_more_proposals(federation, cat, admins):
    alpha, admin = federation.alpha, federation.user("alpha-admin")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = gql(LIST, agency=alpha, user=admin)
        assert response.errors == []
        return len(ctx.captured_queries), response.data["replacementProposals"]["totalCount"]

    for i in range(2):
        device(alpha, f"A{i}", warranty=i + 1)
    propose(alpha, TODAY)
    small = count()
    for i in range(8):
        device(alpha, f"B{i}", planned=i + 1)
    propose(alpha, TODAY)
    large = count()
    assert (small[1], large[1]) == (2, 10)
    assert large[0] == small[0]
