"""The monthly cost split in a real browser: run → dispute → resolve → close.

Finance creates a period, an allocation key with an even version and a pool, counts the
drivers, runs the split and watches the progress bar finish, and publishes. Beta's admin
accepts its statement. Alpha's admin, on alpha's host, disputes a line with a comment and
accepts the rest ("accepted except disputed lines"). Finance adjusts the line: the difference
moves to beta, whose accepted statement is re-opened and shows the adjustment with its reason
and who made it. Finance closes the period, confirming what closing locks. Alpha's admin then
sees the statement final with the adjusted amount, its reference and the adjustment.

Selectors use ids, names and data attributes rather than texts, so the test holds in Swedish
(the browser's language) whatever the state of the translations.
"""

from __future__ import annotations

import re

from tests.browser.accessibility import check_page

MONTH = "2026-10"


def test_monthly_run_dispute_resolve_close(portal):
    from playwright.sync_api import expect  # imported here: the conftest skips without it

    page = portal.page

    # given finance on the central host creates the period
    portal.sign_in("fin")
    page.goto(portal.url(None, "/costs/"))
    check_page(page)
    page.locator("#id_month").fill(MONTH)
    page.locator("#create-period").click()
    page.wait_for_load_state()
    match = re.search(r"/costs/(\d+)/$", page.url)
    assert match, page.url
    period_path = match.group(0)
    assert page.locator("#period-state").get_attribute("data-state") == "open"

    # and an allocation key that splits evenly from the period's month
    page.goto(portal.url(None, "/costs/keys/"))
    page.locator("#id_name").fill("Lika delning")
    page.locator("#create-key").click()
    page.wait_for_load_state()
    page.locator("#id_valid_from").fill(MONTH)
    page.locator("#id_method").select_option("even")
    check_page(page)
    portal.shot("cost-1-key-version")
    page.locator("#add-version").click()
    page.wait_for_load_state()
    assert page.locator(".messages li").count() == 1

    # and a pool of 1 000 kr on that key
    page.goto(portal.url(None, period_path))
    page.locator("#add-pool").click()
    page.wait_for_load_state()
    page.locator("#id_name").fill("Servrar")
    page.locator("#id_category").select_option("infrastructure")
    page.locator("#id_amount").fill("1000")
    page.locator("#id_key").select_option(label="Lika delning")
    page.locator("#id_source_reference").fill("INV-2026-10")
    check_page(page)
    page.locator("#save-pool").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr", has_text="Servrar").count() == 1

    # when finance counts the drivers and runs the split
    page.locator("#snapshot").click()
    page.wait_for_load_state()
    page.locator("#run-split").click()
    page.wait_for_load_state()
    # then the progress bar fills and stops at done
    expect(page.locator("#run")).to_have_attribute("data-state", "done", timeout=30_000)
    assert page.locator("#run [role=progressbar]").get_attribute("aria-valuenow") == "100"
    check_page(page)
    portal.shot("cost-2-period-run-done")
    page.goto(portal.url(None, period_path + "lines/"))
    assert page.locator("tbody tr[data-line]").count() == 2
    assert sorted(
        page.locator("td[data-amount]").evaluate_all("els => els.map(e => e.dataset.amount)")
    ) == ["50000", "50000"]
    check_page(page)
    portal.shot("cost-3-lines")
    page.goto(portal.url(None, period_path + "report/"))
    # four charts (agency, service, trend, suppliers), each with its table
    assert page.locator("figure.chart svg[role=img]").count() == 4
    assert page.locator("#table-suppliers tbody tr").count() == 2
    check_page(page)
    portal.shot("cost-4-charts")

    # and publishes the statements
    page.goto(portal.url(None, period_path))
    page.locator("#publish").click()
    page.wait_for_load_state()
    assert page.locator("#period-state").get_attribute("data-state") == "preliminary"

    # and beta's admin accepts beta's statement
    portal.sign_in("beta-admin", agency="beta")
    page.goto(portal.url("beta", period_path))
    page.locator("#accept").click()
    page.wait_for_load_state()
    assert page.locator("#statement-state").get_attribute("data-state") == "accepted"

    # when alpha's admin opens its costs and disputes its line
    portal.sign_in("alpha-admin", agency="alpha")
    page.goto(portal.url("alpha", "/costs/"))
    check_page(page)
    portal.shot("cost-5-agency-costs")
    page.goto(portal.url("alpha", period_path))
    assert page.locator("#statement-state").get_attribute("data-state") == "published"
    assert page.locator("#total").get_attribute("data-amount") == "50000"
    check_page(page)
    portal.shot("cost-6-agency-statement")
    page.locator("tr[data-line] a[href$='/dispute/']").click()
    page.wait_for_load_state()
    page.locator("#id_comment").fill("Vi flyttade ut ur serverhallen i oktober.")
    check_page(page)
    page.locator("#dispute").click()
    page.wait_for_load_state()
    assert page.locator("#statement-state").get_attribute("data-state") == "disputed"
    # and accepts the lines it did not dispute
    assert page.locator("#accept-help").count() == 1
    page.locator("#accept").click()
    page.wait_for_load_state()
    assert page.locator("#statement-state").get_attribute("data-state") == "partly_accepted"
    assert page.locator("#statement-reference").inner_text() == f"KF-{MONTH}-ALPHA"
    assert page.locator("#download-pdf").get_attribute("href") == f"/costs/{MONTH}/statement.pdf"
    check_page(page)
    portal.shot("cost-6b-agency-partly-accepted")

    # when finance adjusts the line to 400 kr and closes the period
    portal.sign_in("fin")
    page.goto(portal.url(None, period_path + "disputes/?state=open"))
    check_page(page)
    portal.shot("cost-7-disputes")
    page.locator("tr[data-dispute] a").first.click()
    page.wait_for_load_state()
    page.locator("input[name=resolution][value=adjust]").check()
    page.locator("#id_amount").fill("400")
    page.locator("#id_reason").fill("Utflytt bekräftad")
    check_page(page)
    portal.shot("cost-8-resolve")
    page.locator("#resolve").click()
    page.wait_for_load_state()

    # then beta's accepted statement is open again, showing the adjustment and its reason
    portal.sign_in("beta-admin", agency="beta")
    page.goto(portal.url("beta", period_path))
    assert page.locator("#statement-state").get_attribute("data-state") == "published"
    assert page.locator("#total").get_attribute("data-amount") == "60000"
    adjustment = page.locator("#adjustments tr[data-adjustment]")
    assert adjustment.count() == 1
    assert adjustment.locator("td[data-amount]").get_attribute("data-amount") == "10000"
    assert "Utflytt bekräftad" in adjustment.inner_text() and "fin" in adjustment.inner_text()
    check_page(page)
    portal.shot("cost-8b-beta-reopened")

    # when finance closes the period: the form says what closing locks and asks to confirm
    portal.sign_in("fin")
    page.goto(portal.url(None, period_path))
    assert page.locator("#close-help").count() == 1
    check_page(page)
    portal.shot("cost-8c-close-confirm")
    page.locator("#close").click()  # without the confirmation the browser keeps the form
    assert page.locator("#period-state").get_attribute("data-state") == "preliminary"
    page.locator("#close-confirm").check()
    page.locator("#close").click()
    page.wait_for_load_state()
    assert page.locator("#period-state").get_attribute("data-state") == "closed"

    # then alpha's admin sees the statement closed with the adjusted amount
    portal.sign_in("alpha-admin", agency="alpha")
    page.goto(portal.url("alpha", period_path))
    assert page.locator("#period-state").get_attribute("data-state") == "closed"
    assert page.locator("#statement-state").get_attribute("data-state") == "final"
    assert page.locator("#statement-reference").inner_text() == f"KF-{MONTH}-ALPHA"
    assert page.locator("#adjustments td[data-amount]").get_attribute("data-amount") == "-10000"
    assert page.locator("#total").get_attribute("data-amount") == "40000"
    assert page.locator("tr[data-line] td[data-amount]").get_attribute("data-amount") == "40000"
    dispute_state = page.locator("tr[data-dispute] [data-state]").get_attribute("data-state")
    assert dispute_state == "adjusted"
    check_page(page)
    portal.shot("cost-9-agency-statement-closed")
