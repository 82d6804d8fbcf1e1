"""Ordering in a real browser: alpha's admin builds an order with a live quote and places it,
a second admin approves it, the service desk fulfils it on the central host, and the admin
sees the order fulfilled and the subscription active.

Selectors use ids, names and data attributes rather than texts, so the test holds in Swedish
(the browser's language) whatever the state of the translations.
"""

from __future__ import annotations

import re

from django.utils import timezone

from tests.browser.accessibility import check_page


def test_order_approve_fulfil(portal):
    from playwright.sync_api import expect  # imported here: the conftest skips without it

    page = portal.page

    # given alpha's admin on the catalogue
    portal.sign_in("alpha-admin", agency="alpha")
    page.goto(portal.url("alpha", "/ordering/catalogue/?show=all"))
    laptop_row = page.locator("tr", has_text="laptop-std")
    assert laptop_row.count() == 1
    assert page.locator("tr", has_text="retired").locator(".tag").count() == 1  # why not
    check_page(page)
    portal.shot("order-1-catalogue")

    # when the admin orders six laptops (over the approval threshold) from the catalogue
    laptop_row.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.locator("#id_lines-0-offering option:checked").inner_text().endswith("laptop-std")
    page.locator("#id_note").fill("Laptops for the new unit")
    page.locator("#id_lines-0-quantity").fill("6")
    # then the quote updates in place: costs, budget after the order, and the approval rule
    page.locator("[data-quote=approval]").wait_for()
    assert re.sub(r"\D", "", page.locator("[data-quote=one-off]").inner_text()) == "5400000"
    # the commitment, and its effect on each year's budget (issue 20)
    assert page.locator("[data-quote=commitment]").inner_text() != ""
    assert page.locator("[data-quote=years] tbody tr").count() >= 1
    check_page(page)  # moves the focus: the quantity's change event asks for the quote again
    expect(page.locator("#quote-heading .htmx-indicator")).to_be_hidden()
    portal.shot("order-2-builder-quote")
    page.locator("button[name=place]").click()
    page.wait_for_load_state()
    match = re.search(r"/ordering/orders/(\d+)/$", page.url)
    assert match, page.url
    order_path = match.group(0)
    assert page.locator("dl.facts [data-state]").get_attribute("data-state") == (
        "awaiting_approval"
    )
    assert page.locator("#approve").count() == 0  # the placer cannot approve

    # when the second admin opens and approves it
    portal.sign_in("alpha-admin2", agency="alpha")
    page.goto(portal.url("alpha", order_path))
    check_page(page)
    portal.shot("order-3-approval")
    page.locator("#approve").click()
    page.wait_for_load_state()
    assert page.locator("dl.facts [data-state]").get_attribute("data-state") == (
        "awaiting_fulfilment"
    )

    # when the service desk fulfils it from the cross-agency queue
    portal.sign_in("desk")
    page.goto(portal.url(None, "/ordering/"))
    order_id = order_path.rstrip("/").rsplit("/", 1)[-1]
    link = page.locator(f'a[href="/ordering/alpha/{order_id}/"]')
    assert link.count() == 1
    check_page(page)
    portal.shot("order-4-fulfilment-queue")
    link.click()
    page.wait_for_load_state()
    check_page(page)
    portal.shot("order-5-fulfilment-order")
    page.locator("#fulfil").click()
    page.wait_for_load_state()
    assert page.locator("dl.facts [data-state]").get_attribute("data-state") == "fulfilled"

    # then alpha's admin sees the order fulfilled and the subscription active
    portal.sign_in("alpha-admin", agency="alpha")
    page.goto(portal.url("alpha", order_path))
    assert page.locator("dl.facts [data-state]").get_attribute("data-state") == "fulfilled"
    assert page.locator("[data-line-state]").get_attribute("data-line-state") == "fulfilled"
    check_page(page)
    portal.shot("order-6-fulfilled")
    page.goto(portal.url("alpha", "/ordering/subscriptions/"))
    row = page.locator("tbody tr", has_text="laptop-std")
    assert row.locator("[data-state]").get_attribute("data-state") == "active"
    assert row.locator("td.num").first.inner_text() == "6"
    portal.shot("order-7-subscriptions")


def test_budget_commitment_override_and_todo(portal):
    """Issue 20: the admin sets next year's budget in the portal; the quote explains the
    commitment per year and finds next year's budget too small; finance sees the override
    waiting on its home page and lets the order through in the portal."""
    page = portal.page
    next_year = str(timezone.localdate().year + 1)  # the tests' clock, as the server's

    # given alpha's second admin sets a small budget for next year
    portal.sign_in("alpha-admin2", agency="alpha")
    page.goto(portal.url("alpha", "/ordering/budgets/"))
    check_page(page)
    page.locator("#id_year").fill(next_year)
    page.locator("#id_amount").fill("1 000")
    page.locator("#save-budget").click()
    page.wait_for_load_state()
    assert page.locator(f"tr[data-year='{next_year}']").count() == 1
    portal.shot("order-8-budgets")

    # when the admin quotes ten mail accounts: a year of them reaches into next year
    page.goto(portal.url("alpha", "/ordering/catalogue/?show=all"))
    page.locator("tr", has_text=re.compile(r"\bmail\b")).first.get_by_role("link").click()
    page.wait_for_load_state()
    page.locator("#id_lines-0-quantity").fill("10")
    page.locator("[data-quote=commitment]").wait_for()
    # then the commitment is twelve months of the monthly cost, split per year
    assert re.sub(r"\D", "", page.locator("[data-quote=commitment]").inner_text()).endswith(
        "600000"
    )
    years = page.locator("[data-quote=years] tbody tr")
    assert years.count() == 2
    assert page.locator("[data-quote=years] tr.due-breached th").inner_text() == next_year
    check_page(page)
    portal.shot("order-9-commitment-quote")
    page.locator("#id_request_budget_override").check()
    page.locator("button[name=place]").click()
    page.wait_for_load_state()
    assert page.locator("dl.facts [data-state]").get_attribute("data-state") == (
        "awaiting_budget_override"
    )
    order_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    # when finance opens its home page, the override waits in its to-do list
    portal.sign_in("fin")
    page.goto(portal.url(None, "/"))
    item = page.locator("[data-todo-item=budget_overrides]")
    assert int(item.locator("[data-todo-count]").inner_text()) >= 1
    check_page(page)
    portal.shot("order-10-finance-todo")
    item.get_by_role("link").click()
    page.wait_for_load_state()
    page.locator(f'a[href="/ordering/overrides/alpha/{order_id}/"]').click()
    page.wait_for_load_state()
    check_page(page)
    portal.shot("order-11-override")
    page.locator("#id_override-reason").fill("Next year's budget is being revised")
    page.locator("#override").click()
    page.wait_for_load_state()
    assert page.locator(f'a[href="/ordering/overrides/alpha/{order_id}/"]').count() == 0
