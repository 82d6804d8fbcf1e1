"""Ordering in a real browser: alpha's admin builds an order with a live quote and places it,
a second admin approves it, the service desk fulfils it on the central host, and the admin
sees the order fulfilled and the subscription active.

Selectors use ids, names and data attributes rather than texts, so the test holds in Swedish
(the browser's language) whatever the state of the translations.
"""

from __future__ import annotations

import re

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
    assert page.locator("[data-quote=remaining]").inner_text() != ""
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
