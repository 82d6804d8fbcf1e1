"""Ordering's rules: bad input writes nothing; isolation; constant query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.crossindex.models import IndexEntry
from services.ordering.models import Order, OrderEvent, OrderLine, Subscription
from tests.graphql import gql
from tests.ordering.test_ordering_flow import PLACE, QUEUE, lines

pytestmark = pytest.mark.django_db


def _nothing_written(agency):
    with schema_context(agency.schema_name):
        assert (Order.objects.count(), OrderLine.objects.count(), OrderEvent.objects.count()) == (
            0,
            0,
            0,
        )
    assert not IndexEntry.objects.filter(agency=agency).exists()


@pytest.mark.parametrize(
    ("make_lines", "field", "code"),
    [
        (
            lambda c: [{"offering": to_global_id("Offering", 999999), "quantity": 1}],
            "lines.0.offering",
            "NOT_FOUND",
        ),
        (
            lambda c: [{"offering": to_global_id("Agency", 1), "quantity": 1}],
            "lines.0.offering",
            "NOT_FOUND",
        ),
        (lambda c: lines((c.retired, 1)), "lines.0.offering", "NOT_ORDERABLE"),
        (lambda c: lines((c.mail, 0)), "lines.0.quantity", "QUANTITY_OUT_OF_RANGE"),
        (lambda c: lines((c.mail, -3)), "lines.0.quantity", "QUANTITY_OUT_OF_RANGE"),
        (lambda c: lines((c.mail, 1), (c.mail, 501)), "lines.1.quantity", "QUANTITY_OUT_OF_RANGE"),
        (lambda c: lines((c.suite, 1)), "lines.0.offering", "MISSING_PREREQUISITE"),
        (lambda c: lines((c.laptop_std, 1), (c.laptop_plus, 1)), "lines.0.offering", "EXCLUDED"),
        (lambda c: [], "lines", "REQUIRED"),
    ],
)
def test_bad_lines_name_the_line_and_field_and_write_nothing(
    federation, cat, make_lines, field, code
):
    r = gql(
        PLACE,
        {"lines": make_lines(cat)},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    payload = r.data["placeOrder"]
    assert payload["order"] is None
    assert (payload["errors"][0]["field"], payload["errors"][0]["code"]) == (field, code)
    assert payload["errors"][0]["message"]
    _nothing_written(federation.alpha)


def test_higher_levels_meet_lower_requirements(federation, cat):
    r = gql(
        PLACE,
        {"lines": lines((cat.secure, 1))},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert r.data["placeOrder"]["errors"] == []


def test_the_level_reason_is_given(federation, cat):
    r = gql(
        PLACE,
        {"lines": lines((cat.mail, 1))},
        agency=federation.beta,
        user=federation.user("beta-admin"),
    )
    error = r.data["placeOrder"]["errors"][0]
    assert error["code"] == "NOT_ORDERABLE"
    assert "security level 2" in error["message"] and "3" in error["message"]
    _nothing_written(federation.beta)


@pytest.mark.parametrize("who", ["alpha-staff", "beta-admin", "root", "desk", "fin"])
def test_only_the_agencys_admins_may_order_there(federation, cat, who):
    r = gql(
        PLACE, {"lines": lines((cat.mail, 1))}, agency=federation.alpha, user=federation.user(who)
    )
    assert r.status == 403 or r.data["placeOrder"]["errors"][0]["code"] == "PERMISSION_DENIED"
    _nothing_written(federation.alpha)


def test_placing_an_order_on_the_central_host_is_refused(federation, cat):
    r = gql(PLACE, {"lines": lines((cat.mail, 1))}, user=federation.user("alpha-admin"))
    assert r.data["placeOrder"]["errors"][0]["code"] == "PERMISSION_DENIED"
    _nothing_written(federation.alpha)


def test_agencies_see_only_their_own_orders_and_subscriptions(federation, cat):
    a = gql(
        PLACE,
        {"lines": lines((cat.mail, 1))},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    ).data["placeOrder"]["order"]
    with schema_context("agency_beta"):
        Subscription.objects.create(
            offering=cat.mail, quantity=3, unit_monthly_ore=1, starts_on=dt.date(2026, 1, 1)
        )
    q = "{ orders { totalCount } subscriptions { totalCount } }"
    assert gql(q, agency=federation.alpha, user=federation.user("alpha-admin")).data == {
        "orders": {"totalCount": 1},
        "subscriptions": {"totalCount": 0},
    }
    assert gql(q, agency=federation.beta, user=federation.user("beta-admin")).data == {
        "orders": {"totalCount": 0},
        "subscriptions": {"totalCount": 1},
    }
    # staff of the agency see no orders; A's admin on B's host gets nothing at all
    assert gql(q, agency=federation.alpha, user=federation.user("alpha-staff")).data == {
        "orders": {"totalCount": 0},
        "subscriptions": {"totalCount": 0},
    }
    r = gql(q, agency=federation.beta, user=federation.user("alpha-admin"))
    assert r.status == 403 and r.data is None
    # A's order id used on B's host by B's admin finds nothing of A's
    node = "query($id: ID!) { order(id: $id) { id state } }"
    r = gql(node, {"id": a["id"]}, agency=federation.beta, user=federation.user("beta-admin"))
    assert r.data["order"] is None
    # A's admin cannot act on it through the central id form either
    central_id = to_global_id("AgencyOrder", f"{federation.alpha.pk}.1")
    reject = """mutation($id: ID!) { rejectOrder(order: $id, reason: "x") { errors { code } } }"""
    r = gql(reject, {"id": central_id}, user=federation.user("beta-admin"))
    assert r.data["rejectOrder"]["errors"][0]["code"] in {"PERMISSION_DENIED", "NOT_FOUND"}
    with schema_context("agency_alpha"):
        assert Order.objects.get().state == "awaiting_fulfilment"


def test_central_queue_and_agency_order_are_central_only(federation, cat):
    gql(
        PLACE,
        {"lines": lines((cat.mail, 1))},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    for who in ("alpha-admin", "tech", "cat"):
        r = gql(QUEUE, user=federation.user(who))
        assert r.data["fulfilmentQueue"]["totalCount"] == 0
    r = gql(
        """query($id: ID!) { agencyOrder(id: $id) { state } }""",
        {"id": to_global_id("AgencyOrder", f"{federation.alpha.pk}.1")},
        user=federation.user("alpha-admin"),
    )
    assert r.data["agencyOrder"] is None
    r = gql(QUEUE, agency=federation.alpha, user=federation.user("alpha-admin"))
    assert r.data["fulfilmentQueue"]["totalCount"] == 0


def _orders(agency, n, offering):
    with schema_context(agency.schema_name):
        for _i in range(n):
            o = Order.objects.create(
                state="awaiting_fulfilment",
                placed_by_id=1,
                monthly_ore=1,
                one_off_ore=0,
                year_effect_ore=1,
                budget_year=2026,
                deliver_by=dt.date(2026, 12, 1),
            )
            OrderLine.objects.create(
                order=o,
                position=0,
                offering=offering,
                price=offering.prices.first(),
                quantity=1,
                unit_monthly_ore=1,
                unit_one_off_ore=0,
            )
            OrderEvent.objects.create(order=o, action="placed")
            IndexEntry.objects.create(
                agency=agency, kind="order", local_id=o.pk, state="awaiting_fulfilment"
            )


def _count(query, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        r = gql(query, **kwargs)
    assert not r.errors, r.errors
    return len(ctx.captured_queries)


ORDERS = """{ orders(first: 100) { totalCount edges { node { id state
  lines { offering { code serviceName } quantity } events { action } } } } }"""


def test_order_list_and_queue_keep_a_constant_number_of_queries(federation, cat):
    admin = federation.user("alpha-admin")
    _orders(federation.alpha, 5, cat.mail)
    small = _count(ORDERS, agency=federation.alpha, user=admin)
    small_q = _count(QUEUE.replace("first: 50", "first: 100"), user=federation.user("desk"))
    _orders(federation.alpha, 45, cat.suite)
    _orders(federation.beta, 20, cat.secure)
    assert _count(ORDERS, agency=federation.alpha, user=admin) == small
    assert _count(QUEUE.replace("first: 50", "first: 100"), user=federation.user("desk")) == (
        small_q
    )
