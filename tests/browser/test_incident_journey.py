"""A major incident in a real browser: the service desk opens the console, sees the incident
with its tickets per agency, links a ticket of alpha by its number, posts one update and
resolves everything at once; alpha's admin sees the agency's part on its own host, and the
requester finds the update and the resolution on the ticket.

Selectors use ids, names and data attributes rather than texts, so the test holds in Swedish
(the browser's language) whatever the state of the translations.
"""

from __future__ import annotations

from tests.browser.accessibility import check_page

UPDATE = "Leverantören byter brandväggen; nästa besked kl. 14."
NOTE = "Brandväggen är utbytt; fjärråtkomsten fungerar igen."


def test_the_desk_works_a_major_incident_to_its_end(portal):
    from playwright.sync_api import expect  # imported here: the conftest skips without it

    page = portal.page
    incident_id = portal.server.python("tests.incidents.browser_seed", "incident").strip()
    # a ticket of alpha about something else, to link by hand
    portal.sign_in("alpha-staff", agency="alpha")
    page.goto(portal.url("alpha", "/support/new/"))
    page.locator("#id_subject").fill("Kan inte nå intranätet hemifrån")
    page.locator("#id_description").fill("Sedan i morse.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    own = page.url.rstrip("/").rsplit("/", 1)[1]

    # the desk's console: the incident, its tickets grouped per agency
    portal.sign_in("desk")
    page.goto(portal.url(None, "/incidents/"))
    check_page(page)
    portal.shot("incident-1-console")
    page.locator(f"#incident-{incident_id} a").click()
    page.wait_for_load_state()
    check_page(page)
    expect(page.locator("main table")).to_contain_text("Alfa")

    # link alpha's ticket by its number
    page.locator("#id_agency").select_option("alpha")
    page.locator("#id_ticket").fill(own)
    page.locator("form:has(input[value=link]) button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(f"main a[href$='/{own}/']")).to_have_count(1)

    # one update to every reporter and agency; an empty one is refused with the reason first
    page.locator("form:has(input[value=update]) button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_be_visible()
    page.locator("#id_message").fill(UPDATE)
    page.locator("form:has(input[value=update]) button[type=submit]").click()
    page.wait_for_load_state()
    portal.shot("incident-2-updated")

    # resolve everything at once
    page.locator("#id_note").fill(NOTE)
    page.locator("#id_resolve_tickets").check()
    page.locator("form:has(input[value=resolve]) button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("form:has(input[value=resolve])")).to_have_count(0)
    portal.shot("incident-3-resolved")

    # alpha's admin sees the agency's part, read-only
    portal.sign_in("alpha-admin", agency="alpha")
    page.goto(portal.url("alpha", "/incidents/"))
    check_page(page)
    expect(page.locator("main")).not_to_contain_text("Beta")
    expect(page.locator("main form")).to_have_count(0)

    # and the requester reads the update and the note on the ticket, now resolved
    portal.sign_in("alpha-staff", agency="alpha")
    page.goto(portal.url("alpha", f"/support/{own}/"))
    expect(page.locator("main")).to_contain_text(UPDATE)
    expect(page.locator("main")).to_contain_text(NOTE)
    check_page(page)
