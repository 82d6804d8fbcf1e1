"""The portal's shell in a real browser: Swedish by default, English on request, the menu of
each role, keyboard access, and the accessibility basics."""

from __future__ import annotations

from tests.browser.accessibility import check_page


def test_signing_in_on_an_agency_host_shows_the_agency_in_swedish(portal):
    # given alpha's admin on alpha's address, with a Swedish browser
    portal.sign_in("alpha-admin", agency="alpha")
    page = portal.page
    # then the page is in Swedish, names the agency and passes the basics
    assert page.evaluate("document.documentElement.lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Länsstyrelsen Alfa"
    assert page.get_by_role("button", name="Logga ut").is_visible()
    check_page(page)
    portal.shot("agency-home-sv")
    # when the language is switched to English
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    page.wait_for_load_state()
    # then the same page is in English, with no Swedish chrome left
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.get_by_text("Logga ut").count() == 0
    portal.shot("agency-home-en")


def test_the_skip_link_is_the_first_stop_of_the_keyboard(portal):
    portal.sign_in("alpha-staff", agency="alpha")
    page = portal.page
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"


def test_another_agencys_member_is_turned_away(portal):
    # given beta's admin signing in on alpha's address
    portal.sign_in("beta-admin", agency="alpha")
    page = portal.page
    # then alpha's pages are not shown
    assert "Länsstyrelsen Alfa" not in page.inner_text("main")
