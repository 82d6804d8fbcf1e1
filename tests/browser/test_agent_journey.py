"""The service-desk agent's day in a real browser: a staff member of alpha reports a problem;
the agent writes a canned answer, filters the queue to alpha's unassigned tickets, opens the
ticket, replies with the canned answer (its placeholders filled), raises the priority with a
reason and resolves it; a second agent who opens the same ticket is told that the first is on
it, and the first agent's page learns of the second by its live polling.

Selectors use ids, names and data attributes rather than texts, so the test holds in Swedish
(the browser's language) whatever the state of the translations.
"""

from __future__ import annotations

from tests.browser.accessibility import check_page
from tests.browser.conftest import PASSWORD

SUBJECT = "Skannern i receptionen matar fel"


def _sign_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_load_state()


def test_agent_works_a_ticket_from_the_queue_to_resolution(portal, browser):
    from playwright.sync_api import expect  # imported here: the conftest skips without it

    page = portal.page

    # given a problem reported by alpha's staff member
    portal.sign_in("alpha-staff", agency="alpha")
    page.goto(portal.url("alpha", "/support/new/"))
    page.locator("#id_subject").fill(SUBJECT)
    page.locator("#id_description").fill("Pappret fastnar varje gång.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # and a canned answer written by the agent
    portal.sign_in("desk")
    page.goto(portal.url(None, "/support/canned/"))
    check_page(page)
    page.locator("#id_name").fill("Tack, vi tittar")
    page.locator("#id_language").select_option("sv")
    page.locator("#id_body").fill("Hej {requester_name}! Vi tittar på {ticket_number}.")
    page.locator("#save-canned").click()
    page.wait_for_load_state()

    # when the agent filters the queue to alpha's unassigned tickets
    page.goto(portal.url(None, "/support/queue/"))
    page.locator("#id_agency").select_option("alpha")
    page.locator("#id_unassigned").check()
    page.locator("#filter").click()
    page.wait_for_load_state()
    assert "agency=alpha" in page.url and "unassigned=on" in page.url
    check_page(page)
    row = page.locator("tr[data-ticket]", has_text=SUBJECT)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Staff Alpha")
    portal.shot("desk-1-queue")
    row.locator("a").first.click()
    page.wait_for_load_state()
    ticket_url = page.url
    check_page(page)

    # and a second agent opens the same ticket: told that the first is on it
    other = browser.new_context(locale="sv-SE")
    second = other.new_page()
    _sign_in(second, portal.url(None, "/accounts/login/"), "root")
    second.goto(ticket_url)
    expect(second.locator("#presence")).to_contain_text("desk")
    # the first agent's page learns of the second by polling (every 10 s)
    expect(page.locator("#presence")).to_contain_text("root", timeout=25_000)
    portal.shot("desk-2-collision")

    # the agent replies with the canned answer, filled in for this ticket
    choice = page.locator("#canned option", has_text="Tack, vi tittar").get_attribute("value")
    page.locator("#canned").select_option(choice)
    page.locator("#use-canned").click()
    expect(page.locator("#id_body")).to_have_value(
        f"Hej Staff Alpha! Vi tittar på alpha#{ticket_url.rstrip('/').rsplit('/', 1)[1]}."
    )
    page.locator("#save-reply").click()
    page.wait_for_load_state()
    expect(page.locator("#desk-live")).to_contain_text("Hej Staff Alpha!")

    # raises the priority, with a reason
    page.locator("#priority_priority").select_option("1")
    page.locator("#priority_reason").fill("Hela receptionen står still")
    page.locator("#change-priority").click()
    page.wait_for_load_state()
    expect(page.locator("#ticket-priority")).to_have_attribute("data-priority", "1")

    # and resolves it
    page.locator("#state_state").select_option("resolved")
    page.locator("#change-state").click()
    page.wait_for_load_state()
    expect(page.locator("#ticket-state")).to_have_attribute("data-state", "resolved")
    portal.shot("desk-3-resolved")
    other.close()
