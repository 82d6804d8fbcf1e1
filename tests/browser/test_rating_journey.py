"""Rating a resolved ticket in a real browser: on the ticket's page its requester rates it
with one click (and a comment), the page says so and shows the clock's explanation; the link
of the resolution mail opens a page with the chosen score, and one click sends it, without
signing in.

Selectors use ids, names and data attributes rather than texts, so the test holds in Swedish
(the browser's language) whatever the state of the translations.
"""

from __future__ import annotations

from tests.browser.accessibility import check_page


def test_the_requester_rates_on_the_page_and_through_the_mail_link(portal, browser):
    from playwright.sync_api import expect  # imported here: the conftest skips without it

    page = portal.page
    ticket_id, _ = portal.server.python(
        "tests.incidents.browser_seed", "resolved", "Skrivaren på plan 3"
    ).split()

    # on the ticket's page: a comment and one click
    portal.sign_in("alpha-staff", agency="alpha")
    page.goto(portal.url("alpha", f"/support/{ticket_id}/"))
    check_page(page)
    expect(page.locator("#clock-explained-title")).to_be_visible()
    page.locator("#rating-comment").fill("Snabb hjälp, tack!")
    page.locator("button[name=score][value='5']").click()
    page.wait_for_load_state()
    expect(page.locator("section.rating")).to_contain_text("5")
    portal.shot("rating-1-page")

    # the mail's link, for another resolved ticket, without signing in
    _, path = portal.server.python(
        "tests.incidents.browser_seed", "resolved", "Skärmen flimrar"
    ).split()
    anonymous = browser.new_context(locale="sv-SE")
    other = anonymous.new_page()
    other.goto(portal.url("alpha", path + "?score=4"))
    check_page(other)
    expect(other.locator("button[name=score][value='4']")).to_have_class("primary")
    other.locator("button[name=score][value='4']").click()
    other.wait_for_load_state()
    expect(other.locator("main h1")).to_be_visible()
    expect(other.locator("button[name=score]")).to_have_count(0)
    # another agency's host: the link does nothing there
    response = other.goto(portal.url("beta", path))
    assert response is not None and response.status == 404
    anonymous.close()
