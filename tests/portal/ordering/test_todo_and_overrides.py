"""The to-do list with counts on the home pages (orders to approve, budget overrides, disputes,
statements to accept), finance's budget override pages, and names instead of identity numbers
(issue 20)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from services.ordering import actions, quotes
from services.ordering.models import Order, OrderingPolicy, OrderState
from services.people.models import Person
from tests.costs import conftest as costs_fixtures
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db

# the cost split's fixtures (tests/costs): a published March 2026 for alpha and beta
split, published, central_org, run_now = (
    costs_fixtures.split,
    costs_fixtures.published,
    costs_fixtures.central_org,
    costs_fixtures.run_now,
)


def over_budget(federation, offering, quantity=1, user=None):
    """An order over alpha's budget, sent to finance."""
    return actions.place_order(
        federation.alpha,
        user or federation.user("alpha-admin"),
        [quotes.LineRequest(offering.pk, quantity)],
        request_budget_override=True,
    )


def todo_counts(response) -> dict[str, int]:
    return {item.key: item.count for item in response.context["todo"]}


def test_finance_sees_the_overrides_waiting_and_decides_them_in_the_portal(federation, cat, budget):
    with schema_context("agency_alpha"):
        budget.amount_ore = 1_000
        budget.save()
    order = over_budget(federation, cat.laptop_plus)
    fin = portal_client(None, federation.user("fin"))
    # the central home counts what waits for finance and links to it
    home = fin.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert todo_counts(home)["budget_overrides"] == 1
    html = home.content.decode()
    assert 'href="/ordering/overrides/"' in html and "Budget overrides" in html
    page = fin.get("/ordering/overrides/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    detail_url = f"/ordering/overrides/alpha/{order.pk}/"
    assert detail_url in page.content.decode()
    detail = fin.get(detail_url, HTTP_ACCEPT_LANGUAGE="en")
    assert detail.status_code == 200
    assert "15,000.00\xa0kr" in detail.content.decode()  # the one-off cost, in kronor
    # a decision needs a reason, named on its field; nothing is written
    r = fin.post(detail_url, {"action": "override", "override-reason": "  "})
    assert r.status_code == 400
    assert r.context["override_form"].errors["reason"]
    with schema_context("agency_alpha"):
        assert Order.objects.get().state == OrderState.AWAITING_BUDGET_OVERRIDE
    r = fin.post(detail_url, {"action": "override", "override-reason": "Revised budget"})
    assert r.status_code == 302
    with schema_context("agency_alpha"):
        row = Order.objects.get()
    assert row.state != OrderState.AWAITING_BUDGET_OVERRIDE
    assert row.budget_override_reason == "Revised budget"
    assert todo_counts(fin.get("/"))["budget_overrides"] == 0


def test_finance_rejects_an_order_over_budget(federation, cat, budget):
    with schema_context("agency_alpha"):
        budget.amount_ore = 1_000
        budget.save()
    order = over_budget(federation, cat.laptop_plus)
    fin = portal_client(None, federation.user("fin"))
    url = f"/ordering/overrides/alpha/{order.pk}/"
    r = fin.post(url, {"action": "reject", "reject-reason": "Not this year"})
    assert r.status_code == 302
    with schema_context("agency_alpha"):
        assert Order.objects.get().state == OrderState.REJECTED


@pytest.mark.parametrize("who", ["desk", "alpha-admin", "nobody"])
def test_only_finance_opens_the_override_pages(federation, cat, who):
    client = portal_client(None, federation.user(who))
    assert client.get("/ordering/overrides/").status_code == 403
    assert "budget_overrides" not in todo_counts(client.get("/"))


def test_the_override_list_keeps_a_constant_number_of_queries(federation, cat, budget):
    with schema_context("agency_alpha"):
        budget.amount_ore = 1_000
        budget.save()
    fin = portal_client(None, federation.user("fin"))
    over_budget(federation, cat.laptop_plus)
    one, _r = count_queries(lambda: fin.get("/ordering/overrides/"))
    over_budget(federation, cat.mail, 6)
    over_budget(federation, cat.mail, 5)
    three, _r = count_queries(lambda: fin.get("/ordering/overrides/"))
    assert three == one


def test_agency_admins_see_the_orders_waiting_for_their_approval(federation, cat, admin2):
    with schema_context("agency_alpha"):
        OrderingPolicy.objects.update_or_create(pk=1, defaults={"approval_threshold_ore": 1})
    order = actions.place_order(
        federation.alpha, federation.user("alpha-admin"), [quotes.LineRequest(cat.mail.pk, 2)]
    )
    assert order.state == OrderState.AWAITING_APPROVAL
    # the placer may not approve their own order: nothing waits for them
    placer = portal_client(federation.alpha, federation.user("alpha-admin"))
    assert todo_counts(placer.get("/"))["orders_to_approve"] == 0
    second = portal_client(federation.alpha, admin2)
    home = second.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert todo_counts(home)["orders_to_approve"] == 1
    assert "/ordering/orders/?state=awaiting_approval" in home.content.decode()
    todo = second.get("/todo/", HTTP_ACCEPT_LANGUAGE="en")
    assert todo.status_code == 200
    assert [i.key for i in todo.context["items"]] == ["orders_to_approve", "statements_to_accept"]
    # staff of the agency and the other agency's admin see nothing of it
    staff = portal_client(federation.alpha, federation.user("alpha-staff"))
    assert todo_counts(staff.get("/")) == {}
    beta = portal_client(federation.beta, federation.user("beta-admin"))
    assert todo_counts(beta.get("/"))["orders_to_approve"] == 0


def test_the_order_names_who_placed_and_approved_it(federation, cat, admin2):
    with schema_context("agency_alpha"):
        OrderingPolicy.objects.update_or_create(pk=1, defaults={"approval_threshold_ore": 1})
        assert not Person.objects.filter(user_id=federation.user("alpha-admin").pk).exists()
    order = actions.place_order(
        federation.alpha, federation.user("alpha-admin"), [quotes.LineRequest(cat.mail.pk, 2)]
    )
    actions.approve_order(federation.alpha, admin2, order.pk)
    page = portal_client(federation.alpha, admin2).get(
        f"/ordering/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert "alpha-admin" in html and "Approved by Second Admin" in html
    assert "Identity " not in html


def test_costs_items_statements_to_accept_and_disputes(federation, published):
    admin = portal_client(federation.alpha, federation.user("alpha-admin"))
    assert todo_counts(admin.get("/"))["statements_to_accept"] == 1
    fin = portal_client(None, federation.user("fin"))
    assert todo_counts(fin.get("/"))["disputes"] == 0
    from services.costs.actions import dispute_line
    from services.costs.models import AllocationLine

    line = AllocationLine.objects.filter(period=published.period, agency=federation.alpha).first()
    dispute_line(federation.user("alpha-admin"), federation.alpha, line.pk, "Not ours.")
    home = fin.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert todo_counts(home)["disputes"] == 1
    url = next(i.url for i in home.context["todo"] if i.key == "disputes")
    assert fin.get(url).status_code == 200
    # a disputed statement is no longer waiting for acceptance
    assert todo_counts(admin.get("/"))["statements_to_accept"] == 0
