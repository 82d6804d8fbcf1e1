"""Real concurrent transactions: the budget and the approval hold under races.

These tests commit (separate connections cannot see a test's open transaction), so they build
their own rows and remove them afterwards instead of relying on a rollback.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from services.catalogue.models import Agreement, Offering, Service, Supplier
from services.crossindex.models import IndexEntry
from services.ordering import actions, quotes
from services.ordering.models import Budget, Order, OrderingPolicy
from tenants.models import RoleGrant, User
from tests.concurrency import clear_outboxes, in_thread, run_together
from tests.ordering.catalogue import build_catalogue

pytestmark = pytest.mark.django_db


def _setup(federation):
    cat = build_catalogue(prefix="cc")
    admins = [federation.user("alpha-admin")]
    for i in range(2):
        user = User.objects.create_user(f"cc-admin-{i}", "pw")
        RoleGrant.objects.create(user=user, role="agency_admin", agency=federation.alpha)
        admins.append(user)
    return cat, admins


def _cleanup(federation):
    # DELETE, not TRUNCATE: TRUNCATE would wait for the test transaction's read locks.
    with connection.cursor() as cur:
        for table in (
            "orderevent",
            "orderline",
            "order",
            "subscription",
            "budget",
            "orderingpolicy",
        ):
            cur.execute(f"DELETE FROM agency_alpha.ordering_{table}")
    IndexEntry.objects.filter(agency=federation.alpha).delete()
    Offering.objects.filter(code__startswith="cc-").delete()
    Service.objects.filter(name__startswith="cc ").delete()
    Agreement.objects.filter(name__startswith="cc ").delete()
    Supplier.objects.filter(name__startswith="cc ").delete()
    User.objects.filter(username__startswith="cc-admin-").delete()
    clear_outboxes(federation.alpha)


@pytest.fixture
def committed(federation):
    try:
        yield in_thread(lambda: _setup(federation))
    finally:
        in_thread(lambda: _cleanup(federation))


def test_concurrent_orders_cannot_slip_under_the_budget_together(federation, committed):
    cat, admins = committed
    alpha = federation.alpha
    request = [quotes.LineRequest(cat.mail.pk, 10)]
    with schema_context(alpha.schema_name):
        effect = quotes.quote(alpha, request).year_effect_ore

    def budget():  # room for exactly three such orders
        with schema_context(alpha.schema_name):
            Budget.objects.create(
                year=timezone.localdate().year, amount_ore=effect * 3 + effect // 2
            )

    in_thread(budget)
    results = run_together(8, lambda i: actions.place_order(alpha, admins[0], request))
    placed = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(placed) == 3, results
    assert len(refused) == 5
    assert all(e.error_dict["budget"][0].code == "budget_exceeded" for e in refused)
    with schema_context(alpha.schema_name):
        assert Order.objects.count() == 3
    assert IndexEntry.objects.filter(agency=alpha, kind="order").count() == 3


def test_two_approvers_at_once_give_exactly_one_outcome(federation, committed):
    cat, admins = committed
    alpha = federation.alpha

    def policy():
        with schema_context(alpha.schema_name):
            OrderingPolicy.objects.create(pk=1, approval_threshold_ore=1)
        return actions.place_order(alpha, admins[0], [quotes.LineRequest(cat.mail.pk, 2)])

    order = in_thread(policy)
    assert order.state == "awaiting_approval"

    def decide(i):
        if i == 0:
            return actions.approve_order(alpha, admins[1], order.pk)
        return actions.reject_order(alpha, admins[2], order.pk, "Not this year")

    results = run_together(2, decide)
    won = [r for r in results if isinstance(r, Order)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].error_dict["order"][0].code == "invalid_state"
    with schema_context(alpha.schema_name):
        final = Order.objects.get(pk=order.pk)
        assert final.state == won[0].state
        decisions = final.events.exclude(action="placed")
        assert decisions.count() == 1
    assert IndexEntry.objects.get(agency=alpha, local_id=order.pk).state == final.state
