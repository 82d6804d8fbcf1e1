"""Budgets and approval thresholds per year, set in the portal and GraphQL by the agency's
admins, with history; the year's threshold is the one orders meet (issue 20)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from services.ordering import quotes
from services.ordering.models import Budget, BudgetChange
from tests.graphql import gql
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db


def test_an_admin_sets_budgets_per_year_in_kronor_with_history(federation, cat, admin2):
    client = portal_client(federation.alpha, admin2)
    page = client.get("/ordering/budgets/", HTTP_ACCEPT_LANGUAGE="sv")
    assert page.status_code == 200
    r = client.post(
        "/ordering/budgets/",
        {"year": 2027, "amount": "1 250 000,50", "approval_threshold": "40 000"},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert r.status_code == 302, r.content.decode()
    client.post(
        "/ordering/budgets/",
        {"year": 2027, "amount": "1 300 000", "approval_threshold": ""},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    with schema_context("agency_alpha"):
        budget = Budget.objects.get(year=2027)
        assert (budget.amount_ore, budget.approval_threshold_ore) == (130_000_000, None)
        changes = list(BudgetChange.objects.values_list("amount_ore", "previous_amount_ore"))
        assert changes == [(130_000_000, 125_000_050), (125_000_050, None)]
    html = client.get("/ordering/budgets/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "1\xa0300\xa0000,00\xa0kr" in html and "Second Admin" in html


def test_a_bad_year_or_amount_is_named_in_kronor_and_nothing_is_written(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    r = client.post(
        "/ordering/budgets/",
        {"year": 1999, "amount": "100", "approval_threshold": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 400
    assert r.context["form"].errors["year"] == ["Give a year from 2025 to 2031."]
    r = gql(
        """mutation { setBudget(year: 2026, amountOre: -1) { budget { year }
           errors { field code message } } }""",
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    [error] = r.data["setBudget"]["errors"]
    assert (error["field"], error["code"]) == ("amountOre", "OUT_OF_RANGE")
    assert "0.00\xa0kr" in error["message"]
    with schema_context("agency_alpha"):
        assert not Budget.objects.exists() and not BudgetChange.objects.exists()


@pytest.mark.parametrize("who", ["alpha-staff", "beta-admin", "fin"])
def test_only_the_agencys_admins_set_its_budgets(federation, cat, who):
    r = gql(
        """mutation { setBudget(year: 2026, amountOre: 100) { budget { year }
           errors { code } } }""",
        agency=federation.alpha,
        user=federation.user(who),
    )
    # refused by the action, or (not a member of alpha) by the host already
    payload = (r.data or {}).get("setBudget")
    assert payload is None or payload["errors"] == [{"code": "PERMISSION_DENIED"}]
    read = gql("{ budgets { year } }", agency=federation.alpha, user=federation.user(who))
    assert not (read.data or {}).get("budgets")
    with schema_context("agency_alpha"):
        assert not Budget.objects.exists()


def test_the_years_threshold_decides_approval_and_graphql_reads_it(federation, cat):
    admin = federation.user("alpha-admin")
    r = gql(
        """mutation { setBudget(year: 2026, amountOre: 100000000, approvalThresholdOre: 1) {
           budget { year amountOre approvalThresholdOre effectiveThresholdOre committedOre }
           errors { field } } }""",
        agency=federation.alpha,
        user=admin,
    )
    assert r.data["setBudget"] == {
        "budget": {
            "year": 2026,
            "amountOre": 100_000_000,
            "approvalThresholdOre": 1,
            "effectiveThresholdOre": 1,
            "committedOre": 0,
        },
        "errors": [],
    }
    with schema_context("agency_alpha"):
        q = quotes.quote(federation.alpha, [quotes.LineRequest(cat.mail.pk, 1)])
    assert q.needs_approval is True and q.approval_threshold_ore == 1
    r = gql(
        "{ budgets { year } budgetChanges { year amountOre changedByName } }",
        agency=federation.alpha,
        user=admin,
    )
    assert r.data["budgets"] == [{"year": 2026}]
    assert r.data["budgetChanges"] == [
        {"year": 2026, "amountOre": 100_000_000, "changedByName": "alpha-admin"}
    ]


def test_the_budget_page_keeps_a_constant_number_of_queries(federation, cat):
    from services.ordering import budgets

    admin = federation.user("alpha-admin")
    client = portal_client(federation.alpha, admin)
    budgets.set_budget(federation.alpha, admin, 2026, 100)
    one, _r = count_queries(lambda: client.get("/ordering/budgets/"))
    for year in (2027, 2028, 2029):
        budgets.set_budget(federation.alpha, admin, year, 100, 5)
    four, _r = count_queries(lambda: client.get("/ordering/budgets/"))
    assert four == one
