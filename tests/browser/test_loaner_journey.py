"""A loaner in a real browser: the service desk, at the hub's desk, lends a loaner to alpha's
staff member (found by e-mail in alpha's register) until a date, and takes it back; alpha's
admin sees both steps in the loaner's chain of custody.

Selectors use ids, names and data attributes rather than texts, so the test holds in Swedish
(the browser's language) whatever the state of the translations.
"""

from __future__ import annotations

from tests.browser.accessibility import check_page


def test_loaner_lent_and_taken_back(portal):
    from playwright.sync_api import expect  # imported here: the conftest skips without it

    page = portal.page
    # given the service desk on the loaners page of the Stockholm hub
    portal.sign_in("desk")
    page.goto(portal.url(None, "/hubs/loaners/"))
    check_page(page)
    row = page.locator('tr[data-loaner="SN-LOAN-B1"]')
    expect(row.locator("[data-state]")).to_have_attribute("data-state", "available")
    portal.shot("loaner-1-in-stock")
    # when they lend it to alpha's staff member (the return date is filled in: two weeks)
    form = page.locator("#lend-form")
    form.locator("#id_lend-loaner").select_option(label="Latitude 5450 (SN-LOAN-B1)")
    form.locator("#id_lend-agency").select_option(label="Länsstyrelsen Alfa")
    form.locator("#id_lend-email").fill("staff@alpha.example")
    assert form.locator("#id_lend-expected_return").input_value() != ""
    form.get_by_role("button").click()
    page.wait_for_load_state()
    # then it is lent to her, with its date
    expect(row.locator("[data-state]")).to_have_attribute("data-state", "lent")
    expect(row).to_contain_text("Staff Alpha")
    check_page(page)
    portal.shot("loaner-2-lent")
    # when it comes back
    row.get_by_role("button").click()
    page.wait_for_load_state()
    # then it is in stock again
    expect(row.locator("[data-state]")).to_have_attribute("data-state", "available")
    portal.shot("loaner-3-back")

    # and alpha's admin sees both hand-overs in the register
    portal.sign_in("alpha-admin", agency="alpha")
    page.goto(portal.url("alpha", "/devices/"))
    device = page.locator('tr[data-device="SN-LOAN-B1"]')
    expect(device.locator("ol li")).to_have_count(2)
    portal.shot("loaner-4-chain-of-custody")
