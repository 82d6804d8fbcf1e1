"""Ordering through GraphQL: quote, place, approve, override, fulfil, change, cancel."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.catalogue.models import OfferingPrice
from services.crossindex.models import IndexEntry
from services.ordering.models import Budget, Order, OrderingPolicy, Subscription
from services.ordering.quotes import next_working_day
from tests.graphql import gql
from tests.ordering.catalogue import gid

pytestmark = pytest.mark.django_db

QUOTE = """query($lines: [OrderLineInput!]!) { quoteOrder(lines: $lines) {
  monthlyOre oneOffOre yearEffectOre budgetOre committedOre remainingAfterOre overBudget
  needsApproval leadTimeDays deliveryOn
  lines { position quantity unitMonthlyOre monthlyOre oneOffOre agreement { kind }
          offering { code } }
  missingPrerequisites { position offeringCode otherCode }
  exclusions { position offeringCode otherCode }
  errors { field code message } } }"""
PLACE = """mutation($lines: [OrderLineInput!]!, $override: Boolean) {
  placeOrder(lines: $lines, requestBudgetOverride: $override) {
    order { id state needsApproval yearEffectOre lines { id state } }
    errors { field code message } } }"""
APPROVE = """mutation($id: ID!) { approveOrder(order: $id) { order { state }
  errors { field code } } }"""
FULFIL = """mutation($id: ID!, $lines: [LineDecisionInput!]) {
  fulfilOrder(order: $id, lines: $lines) {
  order { state lines { state } } errors { field code message } } }"""
QUEUE = """{ fulfilmentQueue(first: 50) { totalCount edges { node { orderId state
  agency { slug } } } } }"""


def lines(*pairs):
    return [{"offering": gid(o), "quantity": q} for o, q in pairs]


def start_after(days: int) -> dt.date:
    """The day a line starts, as the quote sets it: the lead time on, then a working day."""
    return next_working_day(timezone.localdate() + dt.timedelta(days=days))


def months_left_from(days: int) -> int:
    start = start_after(days)
    return 12 - start.month + 1 if start.year == timezone.localdate().year else 0


def test_quote_shows_cost_budget_prerequisites_and_writes_nothing(federation, cat):
    with schema_context("agency_alpha"):
        Budget.objects.create(year=timezone.localdate().year, amount_ore=100_000_000)
    admin = federation.user("alpha-admin")
    r = gql(
        QUOTE,
        {"lines": lines((cat.suite, 10), (cat.laptop_std, 2))},
        agency=federation.alpha,
        user=admin,
    )
    q = r.data["quoteOrder"]
    assert q["errors"] == []
    assert q["monthlyOre"] == 10 * 12_000 + 2 * 20_000
    assert q["oneOffOre"] == 2 * 900_000
    assert q["leadTimeDays"] == 20
    assert q["budgetOre"] == 100_000_000 and q["committedOre"] == 0
    expected = (
        (10 * 12_000) * months_left_from(10)
        + (2 * 20_000) * months_left_from(20)
        + (2 * 900_000 if start_after(20).year == timezone.localdate().year else 0)
    )
    assert q["yearEffectOre"] == expected
    assert q["remainingAfterOre"] == 100_000_000 - expected
    assert q["lines"][0]["agreement"] == {"kind": "ola"}
    assert q["missingPrerequisites"] == [
        {"position": 0, "offeringCode": "t-suite", "otherCode": "t-mail"}
    ]
    assert q["exclusions"] == []
    with schema_context("agency_alpha"):
        assert Order.objects.count() == 0


def test_small_order_goes_straight_to_central_and_is_fulfilled(federation, cat):
    admin = federation.user("alpha-admin")
    r = gql(
        PLACE, {"lines": lines((cat.mail, 5), (cat.suite, 5))}, agency=federation.alpha, user=admin
    )
    order = r.data["placeOrder"]["order"]
    assert r.data["placeOrder"]["errors"] == []
    assert order["state"] == "AWAITING_FULFILMENT" and order["needsApproval"] is False
    # the central queue shows it, from the index
    q = gql(QUEUE, user=federation.user("desk")).data["fulfilmentQueue"]
    assert [e["node"]["agency"]["slug"] for e in q["edges"]] == ["alpha"]
    central_id = q["edges"][0]["node"]["orderId"]
    # partial fulfilment: first line only
    r = gql(
        FULFIL,
        {"id": central_id, "lines": [{"line": order["lines"][0]["id"]}]},
        user=federation.user("desk"),
    )
    assert r.errors == [], r.body
    assert r.data["fulfilOrder"]["order"]["state"] == "PARTIALLY_FULFILLED"
    # the price changes afterwards; the subscription keeps the price at order time
    OfferingPrice.objects.create(
        offering=cat.mail, valid_from=timezone.localdate(), monthly_ore=9_999
    )
    r = gql(
        FULFIL,
        {
            "id": central_id,
            "lines": [
                {"line": order["lines"][1]["id"], "fulfil": False, "reason": "Licence pool empty"}
            ],
        },
        user=federation.user("desk"),
    )
    assert r.data["fulfilOrder"]["order"] == {
        "state": "FULFILLED",
        "lines": [{"state": "FULFILLED"}, {"state": "REJECTED"}],
    }
    with schema_context("agency_alpha"):
        sub = Subscription.objects.get()
        assert (sub.offering_id, sub.quantity, sub.unit_monthly_ore) == (cat.mail.pk, 5, 5_000)
    assert gql(QUEUE, user=federation.user("desk")).data["fulfilmentQueue"]["totalCount"] == 0


def test_large_order_needs_a_second_admin(federation, cat):
    with schema_context("agency_alpha"):
        OrderingPolicy.objects.create(pk=1, approval_threshold_ore=1_000_000)
    first, second = federation.user("alpha-admin"), _second_admin(federation)
    r = gql(PLACE, {"lines": lines((cat.laptop_std, 3))}, agency=federation.alpha, user=first)
    order = r.data["placeOrder"]["order"]
    assert order["state"] == "AWAITING_APPROVAL"
    r = gql(APPROVE, {"id": order["id"]}, agency=federation.alpha, user=first)
    assert r.data["approveOrder"]["errors"] == [{"field": "order", "code": "SAME_APPROVER"}]
    r = gql(APPROVE, {"id": order["id"]}, agency=federation.alpha, user=second)
    assert r.data["approveOrder"] == {"order": {"state": "AWAITING_FULFILMENT"}, "errors": []}
    entry = IndexEntry.objects.get(kind="order", agency=federation.alpha)
    assert entry.state == "awaiting_fulfilment"


def test_over_budget_is_refused_or_sent_to_finance(federation, cat):
    with schema_context("agency_alpha"):  # this year's and next: the order may start in either
        for year in (timezone.localdate().year, timezone.localdate().year + 1):
            Budget.objects.create(year=year, amount_ore=1_000_000)
    admin = federation.user("alpha-admin")
    r = gql(PLACE, {"lines": lines((cat.laptop_plus, 1))}, agency=federation.alpha, user=admin)
    assert r.data["placeOrder"]["order"] is None
    assert r.data["placeOrder"]["errors"][0]["field"] == "budget"
    assert r.data["placeOrder"]["errors"][0]["code"] == "BUDGET_EXCEEDED"
    with schema_context("agency_alpha"):
        assert Order.objects.count() == 0
    assert not IndexEntry.objects.filter(agency=federation.alpha).exists()
    # asked for an override, it waits for finance
    r = gql(
        PLACE,
        {"lines": lines((cat.laptop_plus, 1)), "override": True},
        agency=federation.alpha,
        user=admin,
    )
    assert r.data["placeOrder"]["order"]["state"] == "AWAITING_BUDGET_OVERRIDE"
    q = gql(
        """{ fulfilmentQueue(states: [AWAITING_BUDGET_OVERRIDE]) {
             edges { node { orderId } } } }""",
        user=federation.user("fin"),
    ).data["fulfilmentQueue"]["edges"]
    override = """mutation($id: ID!, $reason: String!) { overrideBudget(order: $id, reason: $reason)
      { order { state budgetOverrideReason } errors { field code } } }"""
    oid = q[0]["node"]["orderId"]
    r = gql(override, {"id": oid, "reason": "Budget revision in May"}, user=federation.user("desk"))
    assert r.data["overrideBudget"]["errors"][0]["code"] == "PERMISSION_DENIED"
    r = gql(override, {"id": oid, "reason": "Budget revision in May"}, user=federation.user("fin"))
    assert r.data["overrideBudget"]["order"] == {
        "state": "AWAITING_FULFILMENT",
        "budgetOverrideReason": "Budget revision in May",
    }


def test_change_and_cancel_are_orders_too(federation, cat):
    with schema_context("agency_alpha"):
        sub = Subscription.objects.create(
            offering=cat.mail, quantity=10, unit_monthly_ore=5_000, starts_on=dt.date(2026, 1, 1)
        )
    sid = to_global_id("Subscription", sub.pk)
    admin = federation.user("alpha-admin")
    change = """mutation($id: ID!, $q: Int!) { changeSubscription(subscription: $id, quantity: $q)
      { order { id kind state monthlyOre } errors { field code } } }"""
    r = gql(change, {"id": sid, "q": 501}, agency=federation.alpha, user=admin)
    assert r.data["changeSubscription"]["errors"] == [
        {"field": "quantity", "code": "QUANTITY_OUT_OF_RANGE"}
    ]
    r = gql(change, {"id": sid, "q": 15}, agency=federation.alpha, user=admin)
    order = r.data["changeSubscription"]["order"]
    assert (order["kind"], order["monthlyOre"]) == ("CHANGE", 5 * 5_000)
    r = gql(
        FULFIL,
        {
            "id": to_global_id(
                "AgencyOrder", f"{federation.alpha.pk}.{order['id'] and _pk(order['id'])}"
            )
        },
        user=federation.user("desk"),
    )
    assert r.data["fulfilOrder"]["order"]["state"] == "FULFILLED"
    # and public knows who subscribes to the service, at what monthly fee (no personal data)
    entry = IndexEntry.objects.get(agency=federation.alpha, kind="subscription", local_id=sub.pk)
    assert (entry.state, entry.service_id, entry.amount_ore) == (
        "active",
        cat.mail.service_id,
        15 * 5_000,
    )
    cancel = """mutation($id: ID!) { cancelSubscription(subscription: $id)
      { order { id kind monthlyOre } errors { field code } } }"""
    r = gql(cancel, {"id": sid}, agency=federation.alpha, user=admin)
    order = r.data["cancelSubscription"]["order"]
    assert (order["kind"], order["monthlyOre"]) == ("CANCEL", -15 * 5_000)
    gql(
        FULFIL,
        {"id": to_global_id("AgencyOrder", f"{federation.alpha.pk}.{_pk(order['id'])}")},
        user=federation.user("desk"),
    )
    with schema_context("agency_alpha"):
        sub.refresh_from_db()
        assert sub.state == "ending"
        assert sub.ends_on == timezone.localdate() + dt.timedelta(days=90)
    entry.refresh_from_db()
    assert entry.state == "ending"


def test_the_audit_trail_says_who_when_and_why(federation, cat):
    admin = federation.user("alpha-admin")
    r = gql(PLACE, {"lines": lines((cat.mail, 2))}, agency=federation.alpha, user=admin)
    oid = r.data["placeOrder"]["order"]["id"]
    reject = """mutation($id: ID!) {
      rejectOrder(order: $id, reason: "Duplicate") { errors { code } } }"""
    central = to_global_id("AgencyOrder", f"{federation.alpha.pk}.{_pk(oid)}")
    assert gql(reject, {"id": central}, user=federation.user("desk")).data["rejectOrder"] == {
        "errors": []
    }
    q = """query($id: ID!) { order(id: $id) { state decidedReason
      events { action actorId actorRole fromState toState reason } } }"""
    o = gql(q, {"id": oid}, agency=federation.alpha, user=admin).data["order"]
    assert o["state"] == "REJECTED" and o["decidedReason"] == "Duplicate"
    assert [
        (e["action"], e["actorId"], e["fromState"], e["toState"], e["reason"]) for e in o["events"]
    ] == [
        ("placed", admin.pk, "", "awaiting_fulfilment", ""),
        ("rejected", federation.user("desk").pk, "awaiting_fulfilment", "rejected", "Duplicate"),
    ]


def _pk(global_id: str) -> int:
    from graphql_relay import from_global_id

    return int(from_global_id(global_id)[1])


def _second_admin(federation):
    from tenants.models import RoleGrant, User

    user = User.objects.create_user("alpha-admin-2", "pw")
    RoleGrant.objects.create(user=user, role="agency_admin", agency=federation.alpha)
    return user
