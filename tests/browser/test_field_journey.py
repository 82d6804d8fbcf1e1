"""Field support in a real browser: alpha's staff member requests a visit for the next hour,
the service desk dispatches it from the board, the technician sees the address, arrives and
closes the visit; the staff member books a hub slot, the desk marks it attended, and alpha's
admin sees the device register.

Selectors use ids, names and data attributes rather than texts, so the test holds in Swedish
(the browser's language) whatever the state of the translations.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from tests.browser.accessibility import check_page

ZONE = zoneinfo.ZoneInfo("Europe/Stockholm")


def _window_soon() -> tuple[str, str, str]:
    """An hour-long window from about fifteen minutes from now; when that hour would run past
    midnight (local time), the same hour at 08:00 the next morning."""
    now = dt.datetime.now(ZONE)
    start = (now + dt.timedelta(minutes=15)).replace(second=0, microsecond=0)
    start -= dt.timedelta(minutes=start.minute % 5)
    if (start + dt.timedelta(hours=1)).date() != start.date():
        start = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(8), ZONE)
    end = start + dt.timedelta(hours=1)
    return start.date().isoformat(), start.strftime("%H:%M"), end.strftime("%H:%M")


def _next_open_day() -> str:
    """The next day the demo's service hubs are open: a weekday that is no Swedish holiday or
    holiday eve (julafton, nyårsafton, midsommarafton)."""
    from services.calendars.hours import eve_dates, public_holidays

    day = dt.datetime.now(ZONE).date() + dt.timedelta(days=1)
    while (
        day.weekday() >= 5 or day in public_holidays("SE", day.year) or day in eve_dates(day.year)
    ):
        day += dt.timedelta(days=1)
    return day.isoformat()


def test_visit_requested_dispatched_and_done(portal):
    from playwright.sync_api import expect  # imported here: the conftest skips without it

    page = portal.page
    day, starts, ends = _window_soon()

    # given alpha's staff member on the field visit page
    portal.sign_in("alpha-staff", agency="alpha")
    page.goto(portal.url("alpha", "/visits/"))
    check_page(page)
    # when they ask for a visit to another address, within the hour
    page.locator("#id_ticket").select_option(index=1)
    page.locator("#id_place_kind").select_option("other")
    page.locator("#id_street_address").fill("Storgatan 5")
    page.locator("#id_postal_code").fill("111 22")
    page.locator("#id_city").fill("Stockholm")
    page.locator("#id_county").select_option("AB")
    page.locator("#id_contact_phone").fill("070-111 22 33")
    page.locator("#id_w-0-day").fill(day)
    page.locator("#id_w-0-starts").fill(starts)
    page.locator("#id_w-0-ends").fill(ends)
    portal.shot("field-1-request")
    page.locator("#request-visit").click()
    page.wait_for_load_state()
    # then it is listed as requested
    expect(page.locator("tr[data-visit] [data-state]")).to_have_attribute("data-state", "requested")
    portal.shot("field-2-my-visits")

    # when the desk opens the board and the visit
    portal.sign_in("desk")
    page.goto(portal.url(None, "/visits/board/"))
    link = page.locator('table a[href^="/visits/board/"]')
    assert link.count() == 1
    assert "Storgatan" not in page.content()  # no personal data on the board
    check_page(page)
    portal.shot("field-3-board")
    link.click()
    page.wait_for_load_state()
    card = page.locator("form[data-technician]")
    assert card.count() == 1  # tech, who covers Stockholm county
    assert card.locator("[data-distance]").inner_text().startswith("63")
    check_page(page)
    portal.shot("field-4-suggestions")
    card.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.locator('table a[href^="/visits/board/"]').count() == 0

    # when the technician opens their visits
    portal.sign_in("tech")
    page.goto(portal.url(None, "/visits/mine/"))
    expect(page.locator("[data-address]")).to_contain_text("Storgatan 5")
    expect(page.locator("[data-contact]")).to_contain_text("070-111 22 33")
    check_page(page)
    portal.shot("field-5-technician-today")
    page.locator("button[name=arrived]").click()
    page.wait_for_load_state()
    expect(page.locator(".card [data-state]")).to_have_attribute("data-state", "arrived")
    page.locator("input[name$=travel_minutes]").fill("25")
    page.locator("input[name$=on_site_minutes]").fill("40")
    page.locator("button[name=complete]").click()
    page.wait_for_load_state()
    # then the visit is done and its address is no longer shown
    expect(page.locator(".card [data-state]")).to_have_attribute("data-state", "done")
    assert page.locator("[data-address]").count() == 0
    portal.shot("field-6-technician-done")


def test_hub_slot_booked_attended_and_devices(portal):
    from playwright.sync_api import expect

    page = portal.page
    open_day = _next_open_day()

    # given alpha's staff member on the booking page
    portal.sign_in("alpha-staff", agency="alpha")
    page.goto(portal.url("alpha", "/bookings/?county=AB"))
    assert page.locator(".card[data-hub]").count() == 1
    check_page(page)
    portal.shot("field-7-hubs")
    # when they choose the hub and its next open day, the free times load in place
    page.locator("#pick-hub").select_option(label="Servicepunkt Stockholm")
    page.locator("#pick-day").fill(open_day)  # fires "change": htmx swaps #slots
    expect(page.locator("#slots legend")).to_contain_text(open_day)
    page.wait_for_load_state("networkidle")
    page.locator("#slots input[name=starts_at]:not([disabled])").first.check()
    page.locator("#id_service").select_option("drop_off")
    page.locator("#id_device").select_option(index=1)
    check_page(page)
    portal.shot("field-8-slots")
    page.locator("#book-slot").click()
    page.wait_for_load_state()
    # then the booking is listed
    expect(page.locator("tr[data-booking] [data-state]")).to_have_attribute("data-state", "booked")
    portal.shot("field-9-my-bookings")

    # when the desk opens the hub's day and marks the person attended
    portal.sign_in("desk")
    page.goto(portal.url(None, f"/hubs/bookings/?day={open_day}"))
    row = page.locator("tr[data-booking]")
    assert row.count() == 1
    check_page(page)
    portal.shot("field-10-hub-day")
    row.locator("button[name=handover]").click()  # the laptop is handed in
    page.wait_for_load_state()
    page.locator("tr[data-booking] button[name=attended]").click()
    page.wait_for_load_state()
    expect(page.locator("tr[data-booking] [data-state]")).to_have_attribute(
        "data-state", "attended"
    )

    # and alpha's admin sees the laptop at the hub, with its hand-over
    portal.sign_in("alpha-admin", agency="alpha")
    page.goto(portal.url("alpha", "/devices/"))
    device = page.locator('tr[data-device="SN-ALPHA-1"]')
    expect(device.locator("[data-with]")).to_contain_text("Servicepunkt Stockholm")
    assert device.locator("li").count() == 1
    check_page(page)
    portal.shot("field-11-devices")
