"""Self-help in a real browser: a service-desk agent writes an article on the central host; a
staff member of alpha finds it with everyday, misspelt words, reads it and says it helped; the
agent sees the verdict on the article list.

Selectors use ids, names and data attributes rather than texts, so the test holds in Swedish
(the browser's language) whatever the state of the translations.
"""

from __future__ import annotations

from tests.browser.accessibility import check_page

TITLE = "Skrivaren skriver inte ut i webbläsartestet"


def test_an_agent_writes_and_staff_find_read_and_rate(portal):
    from playwright.sync_api import expect  # imported here: the conftest skips without it

    page = portal.page
    service_id = portal.server.python("tests.knowledge.browser_seed").strip()

    # the agent writes the article
    portal.sign_in("desk")
    page.goto(portal.url(None, "/knowledge/new/"))
    check_page(page)
    page.locator("#id_service").select_option(service_id)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_body").fill("Kontrollera papper och toner och starta om datorn.")
    page.locator("#id_published").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    check_page(page)
    expect(page.locator("main table")).to_contain_text(TITLE)
    portal.shot("knowledge-1-list")

    # a staff member finds it in their own words, and rates it
    portal.sign_in("alpha-staff", agency="alpha")
    page.goto(portal.url("alpha", "/knowledge/?q=skrivarn+funkar+inte"))
    check_page(page)
    page.locator("main .card a", has_text=TITLE).click()
    page.wait_for_load_state()
    check_page(page)
    expect(page.locator("main h1")).to_have_text(TITLE)
    page.locator("button[name=helpful][value=yes]").click()
    page.wait_for_load_state()
    expect(page.locator("button[name=helpful][value=yes]")).to_have_attribute(
        "aria-pressed", "true"
    )
    portal.shot("knowledge-2-rated")

    # the agent sees the verdict
    portal.sign_in("desk")
    page.goto(portal.url(None, "/knowledge/?q=" + TITLE.replace(" ", "+")))
    row = page.locator("main table tbody tr", has_text=TITLE)
    expect(row.locator("td.num").first).to_have_text("1")
