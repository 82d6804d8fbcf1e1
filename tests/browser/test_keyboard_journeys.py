"""Four journeys with the keyboard alone (WCAG 2.1 AA, issue 21): an agency admin's order, a
staff member's problem report with a suggested article, finance's monthly run and a service-desk
agent's ticket from the queue to resolved.

Only the keyboard moves the focus and changes values (Tab, Shift+Tab, Enter, Space, arrows and
typing; tests/browser/keyboard.py); pages are opened by address only where a journey starts.
Every Tab stop must show its focus, move forward in the document and never fall on the body;
the htmx regions that change as one types must be live regions; a form sent with a mistake
must tie each error to its field and put the focus on the errors.

Selectors use ids, names and data attributes rather than texts, so the tests hold in Swedish
(the browser's language) whatever the state of the translations.
"""

from __future__ import annotations

import re

from tests.browser import keyboard as kb
from tests.browser.seed import KNOWLEDGE_TITLE

MONTH = "2026-11"  # not the month of test_cost_journey.py: both run on the same server


def test_an_admin_orders_from_the_catalogue_with_the_keyboard(portal):
    page = portal.page
    kb.sign_in(page, portal.url("alpha", "/accounts/login/"), "alpha-admin")
    page.goto(portal.url("alpha", "/ordering/catalogue/?show=all"))
    kb.skip_to_content(page)

    # the catalogue's order link, in the laptop's row, is reached and followed
    kb.follow(page, "laptop-std", css="a[href*='offering=']", max_tabs=40)
    assert "offering=" in page.url
    kb.skip_to_content(page)

    # a quantity of nothing is refused: the error is the field's, and the focus goes to it
    kb.tab_to(page, css="#id_lines-0-quantity", max_tabs=12)
    kb.type_text(page, "0")
    kb.tab_to(page, css="button[name=place]", max_tabs=12)
    kb.submit(page)
    kb.assert_error_tied(page, "#id_lines-0-quantity")

    # six laptops: the quote is a live region, updated as one types, and the focus stays
    kb.tab_to(page, css="#id_lines-0-quantity", max_tabs=12)
    before = kb.live_region(page, "#quote")
    kb.type_text(page, "6")
    after = kb.wait_for_new_text(page, "#quote", before)
    kb.assert_focus_on(page, "#id_lines-0-quantity")
    assert page.locator("[data-quote=approval]").count() == 1, after
    assert re.sub(r"\D", "", page.locator("[data-quote=one-off]").inner_text()) == "5400000"

    # the note, then the order is placed
    kb.tab_to(page, css="#id_note", max_tabs=12)
    kb.type_text(page, "Datorer till den nya enheten")
    kb.assert_focus_on(page, "#id_note")
    kb.tab_to(page, css="button[name=place]", max_tabs=4)
    kb.submit(page)
    assert re.search(r"/ordering/orders/(\d+)/(#content)?$", page.url), page.url
    state = page.locator("dl.facts [data-state]").get_attribute("data-state")
    assert state == "awaiting_approval"
    portal.shot("keyboard-1-order-placed")


def report_problem(page, subject: str, *, suggested: str | None = None) -> None:
    """On the problem form: a subject typed (the suggestions, a live region, follow it),
    a description, then sent with the keyboard. With `suggested`, the suggestion of that title
    must appear and its button be reachable by Tab."""
    kb.tab_to(page, css="#id_subject", max_tabs=25)
    before = kb.live_region(page, "#suggestions")
    kb.type_text(page, subject)
    if suggested:
        after = kb.wait_for_new_text(page, "#suggestions", before)
        assert suggested in after, after
        kb.assert_focus_on(page, "#id_subject")
    kb.tab_to(page, css="#id_description", max_tabs=2)
    kb.type_text(page, "Det fungerar inte sedan i morse.")
    if suggested:
        kb.tab_to(page, css="#suggestions button", max_tabs=15)
    kb.tab_to(page, css="main form button[type=submit]:not(#suggestions *)", max_tabs=12)
    kb.submit(page)


def test_staff_report_a_problem_and_are_offered_an_article_with_the_keyboard(portal):
    page = portal.page
    kb.sign_in(page, portal.url("alpha", "/accounts/login/"), "alpha-staff")
    page.goto(portal.url("alpha", "/support/new/"))
    kb.skip_to_content(page)

    # sent without a subject: the error is the subject's, and the focus goes to the errors
    kb.tab_to(page, css="main form button[type=submit]", max_tabs=40)
    kb.submit(page)
    kb.assert_error_tied(page, "#id_subject")

    # the subject suggests the article, announced; the report is then sent
    report_problem(page, "Projektorn visar ingen bild", suggested=KNOWLEDGE_TITLE)
    assert re.search(r"/support/\d+/(#content)?$", page.url), page.url
    portal.shot("keyboard-2-problem-reported")


def test_finance_runs_the_month_with_the_keyboard(portal):
    page = portal.page
    kb.sign_in(page, portal.url(None, "/accounts/login/"), "fin")
    page.goto(portal.url(None, "/costs/"))
    kb.skip_to_content(page)

    # a period without a month is refused: the error is the month's, the focus on the errors
    kb.tab_to(page, css="#create-period", max_tabs=40)
    kb.submit(page)
    kb.assert_error_tied(page, "#id_month")
    kb.tab_to(page, css="#id_month", max_tabs=10)
    kb.type_month(page, MONTH)
    kb.tab_to(page, css="#create-period", max_tabs=3)
    kb.submit(page)
    match = re.search(r"/costs/(\d+)/(?=#content$|$)", page.url)
    assert match, page.url
    period_path = match.group(0)

    # an allocation key, reached from the periods page, with an even version from the month
    page.goto(portal.url(None, "/costs/"))
    kb.skip_to_content(page)
    kb.follow(page, css="a[href='/costs/keys/']", max_tabs=20)
    kb.skip_to_content(page)
    kb.tab_to(page, css="#id_name", max_tabs=40)
    kb.type_text(page, "Jämn delning (tangentbord)")
    kb.tab_to(page, css="#create-key", max_tabs=4)
    kb.submit(page)
    kb.skip_to_content(page)
    kb.tab_to(page, css="#id_valid_from", max_tabs=30)
    kb.type_month(page, MONTH)
    kb.tab_to(page, css="#id_method", max_tabs=2)
    kb.choose(page, "even")
    kb.tab_to(page, css="#add-version", max_tabs=20)
    kb.submit(page)
    assert page.locator(".messages li").count() == 1

    # a pool of 1 000 kr on that key
    page.goto(portal.url(None, period_path))
    kb.skip_to_content(page)
    kb.follow(page, css="#add-pool", max_tabs=25)
    kb.skip_to_content(page)
    kb.tab_to(page, css="#id_name", max_tabs=20)
    kb.type_text(page, "Lagring (tangentbord)")
    kb.tab_to(page, css="#id_category", max_tabs=3)
    kb.choose(page, "infrastructure")
    kb.tab_to(page, css="#id_amount", max_tabs=6)
    kb.type_text(page, "1000")
    kb.tab_to(page, css="#id_key", max_tabs=6)
    kb.choose(page, "Jämn delning (tangentbord)")
    kb.tab_to(page, css="#id_source_reference", max_tabs=6)
    kb.type_text(page, "INV-2026-11")
    kb.tab_to(page, css="#save-pool", max_tabs=15)
    kb.submit(page)
    assert page.locator("tbody tr", has_text="Lagring (tangentbord)").count() == 1
    kb.skip_to_content(page)

    # the drivers counted, the split run: its progress is announced until done
    kb.follow(page, css="#snapshot", max_tabs=40)
    kb.skip_to_content(page)
    kb.follow(page, css="#run-split", max_tabs=40)
    kb.live_region(page, "#run p[aria-live]")
    # the focus waits on the publish button while the progress is polled, and stays there
    kb.skip_to_content(page)
    kb.tab_to(page, css="#publish", max_tabs=40)
    page.wait_for_function(
        "() => document.querySelector('#run')?.dataset.state === 'done'", timeout=30_000
    )
    assert page.locator("#run [role=progressbar]").get_attribute("aria-valuenow") == "100"
    kb.assert_focus_on(page, "#publish")

    # and the statements are published
    kb.submit(page)
    assert page.locator("#period-state").get_attribute("data-state") == "preliminary"
    portal.shot("keyboard-3-period-published")


def test_an_agent_resolves_a_ticket_from_the_queue_with_the_keyboard(portal):
    page = portal.page
    subject = "Dokumentkameran i aulan startar inte"

    # given a problem reported by alpha's staff member
    kb.sign_in(page, portal.url("alpha", "/accounts/login/"), "alpha-staff")
    page.goto(portal.url("alpha", "/support/new/"))
    kb.skip_to_content(page)
    report_problem(page, subject)

    # when the agent filters the queue to alpha's unassigned tickets
    kb.sign_in(page, portal.url(None, "/accounts/login/"), "desk")
    page.goto(portal.url(None, "/support/queue/"))
    kb.skip_to_content(page)
    kb.tab_to(page, css="#id_agency", max_tabs=40)
    kb.choose(page, "alpha")
    kb.tab_to(page, css="#id_unassigned", max_tabs=6)
    page.keyboard.press("Space")
    assert page.locator("#id_unassigned").is_checked()
    kb.tab_to(page, css="#filter", max_tabs=4)
    kb.submit(page)
    assert "agency=alpha" in page.url and "unassigned=on" in page.url
    kb.skip_to_content(page)

    # and opens the ticket from its row
    kb.follow(page, css="tr[data-ticket] a", near=subject, max_tabs=60)
    ticket_url = page.url
    kb.skip_to_content(page)

    # a reply sent empty is refused: the error is the reply's, the focus on the errors
    kb.tab_to(page, css="#save-reply", max_tabs=40)
    kb.submit(page)
    kb.assert_error_tied(page, "#id_body")
    kb.tab_to(page, css="#id_body", max_tabs=10)
    kb.type_text(page, "Hej! Vi tittar på det i dag.")
    kb.tab_to(page, css="#save-reply", max_tabs=6)
    kb.submit(page)
    assert page.url.split("#")[0] == ticket_url.split("#")[0]
    assert "Vi tittar på det i dag" in page.locator("#desk-live").inner_text()
    kb.skip_to_content(page)

    # raises the priority, with a reason
    kb.tab_to(page, css="#priority_priority", max_tabs=60)
    kb.choose(page, "1")
    kb.tab_to(page, css="#priority_reason", max_tabs=2)
    kb.type_text(page, "Hela aulan står still")
    kb.tab_to(page, css="#change-priority", max_tabs=2)
    kb.submit(page)
    assert page.locator("#ticket-priority").get_attribute("data-priority") == "1"
    kb.skip_to_content(page)

    # and resolves it
    kb.tab_to(page, css="#state_state", max_tabs=60)
    kb.choose(page, "resolved")
    kb.tab_to(page, css="#change-state", max_tabs=4)
    kb.submit(page)
    assert page.locator("#ticket-state").get_attribute("data-state") == "resolved"
    portal.shot("keyboard-4-ticket-resolved")
