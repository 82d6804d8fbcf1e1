"""Central administration in a real browser: the platform admin onboards a new agency on the
central host, sees it listed active and makes an existing identity its admin, who then signs
in on the new agency's own host; the catalogue manager adds a price from next month and sees
it in the offering's price history; alpha's admin gives a person a licence seat.

Selectors use ids, names and data attributes rather than texts, so the test holds in Swedish
(the browser's language) whatever the state of the translations.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from tests.browser.accessibility import check_page


def next_month_start(today: dt.date) -> dt.date:
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def test_onboard_an_agency_and_sign_in_as_its_admin(portal):
    page = portal.page

    # given the platform admin on the agencies page of the central host
    portal.sign_in("root")
    page.goto(portal.url(None, "/tenants/"))
    check_page(page)
    assert page.locator('nav.main a[href="/tenants/"]').count() == 1

    # when they onboard Gamma, first with an organisation number that is not valid
    page.locator('a[href="/tenants/new/"]').click()
    page.wait_for_load_state()
    page.locator("#id_name").fill("Länsstyrelsen Gamma")
    page.locator("#id_slug").fill("gamma")
    page.locator("#id_org_number").fill("2021000119")
    page.locator("#id_security_level").select_option("3")
    page.locator("#id_headcount").fill("150")
    page.locator("#onboard").click()
    page.wait_for_load_state()
    # then the error is next to the number, and what was typed is kept
    assert page.locator("#id_org_number_error").count() == 1
    assert page.locator("#id_name").input_value() == "Länsstyrelsen Gamma"
    check_page(page)
    portal.shot("admin-1-onboard-error")
    page.locator("#id_org_number").fill("2021000118")
    page.locator("#onboard").click()
    page.wait_for_load_state()

    # then the agency's page shows onboarding done but for its admin
    assert re.search(r"/tenants/\d+/$", page.url), page.url
    assert page.locator("#agency-state").get_attribute("data-state") == "active"
    assert page.locator("ol.steps .due-ok").count() == 3
    assert page.locator("ol.steps .due-warned").count() == 1
    check_page(page)
    portal.shot("admin-2-onboarded")

    # and the list shows it active
    page.goto(portal.url(None, "/tenants/"))
    row = page.locator("tr", has_text="gamma.localhost")
    assert row.locator("[data-state]").get_attribute("data-state") == "active"
    portal.shot("admin-3-agencies")

    # when an existing identity is made its admin
    row.get_by_role("link").click()
    page.wait_for_load_state()
    page.locator("#id_grant-username").fill("gamma-admin")
    page.locator("#grant").click()
    page.wait_for_load_state()
    assert page.locator("ol.steps .due-warned").count() == 0
    assert "gamma-admin" in page.locator("#admins-heading + ul").inner_text()

    # then that admin signs in on Gamma's own host and sees its people page
    portal.sign_in("gamma-admin", agency="gamma")
    assert page.url == portal.url("gamma", "/")
    page.goto(portal.url("gamma", "/seats/people/"))
    assert page.locator("h1").count() == 1
    assert page.locator('nav.main a[href="/seats/people/"]').count() == 1
    check_page(page)
    portal.shot("admin-4-gamma-people")


def test_a_new_price_from_next_month_joins_the_history(portal):
    page = portal.page
    start = next_month_start(timezone.localdate()).isoformat()

    # given the catalogue manager on the service of the test catalogue
    portal.sign_in("cat")
    page.goto(portal.url(None, "/catalogue/"))
    check_page(page)
    portal.shot("catalogue-1-services")
    page.locator("tr", has_text="b E-post").get_by_role("link").first.click()
    page.wait_for_load_state()
    check_page(page)
    portal.shot("catalogue-2-service")
    page.locator("tr", has_text="b-mail").get_by_role("link").first.click()
    page.wait_for_load_state()

    # when a price in the past is tried, it is refused next to its date
    page.locator("#id_valid_from").fill("2021-01-01")
    page.locator("#id_monthly").fill("55,00")
    page.locator("#add-price").click()
    page.wait_for_load_state()
    assert page.locator("#id_valid_from_error").count() == 1
    assert page.locator("#id_monthly").input_value() == "55,00"

    # when the price is from next month
    page.locator("#id_valid_from").fill(start)
    page.locator("#id_monthly").fill("55,00")
    page.locator("#add-price").click()
    page.wait_for_load_state()

    # then the history lists it first, scheduled, above the price in force
    rows = page.locator("#price-history tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").first.inner_text() == start
    assert re.sub(r"\D", "", rows.nth(0).locator("td").nth(1).inner_text()) == "5500"
    assert rows.nth(1).locator("td").first.inner_text() == "2020-01-01"
    check_page(page)
    portal.shot("catalogue-3-price-history")

    # and the licence pools show what each agency holds
    page.goto(portal.url(None, "/licences/"))
    check_page(page)
    page.locator("tr", has_text="b Office 365").get_by_role("link").click()
    page.wait_for_load_state()
    check_page(page)
    portal.shot("licences-1-pool")


def test_an_agency_admin_gives_a_person_a_licence_seat(portal):
    page = portal.page
    portal.sign_in("alpha-admin", agency="alpha")
    page.goto(portal.url("alpha", "/seats/people/"))
    check_page(page)
    portal.shot("people-1-list")
    page.locator("tr", has_text="Staff Alpha").get_by_role("link").click()
    page.wait_for_load_state()
    page.locator("#id_pool").select_option(index=1)
    page.locator("#assign").click()
    page.wait_for_load_state()
    assert page.locator("table").first.locator("tbody tr", has_text="b Office 365").count() == 1
    check_page(page)
    portal.shot("people-2-person")
