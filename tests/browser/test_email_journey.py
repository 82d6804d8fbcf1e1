"""A ticket that starts as an e-mail, is answered on the portal and resolved by central IT."""

from __future__ import annotations

import json
import urllib.request
from email.message import EmailMessage

from tests.browser.accessibility import check_page

TOKEN = "browser-inbound-token"  # config/settings/browser.py


def _mail_in(portal, subject: str, body: str) -> dict:
    mail = EmailMessage()
    mail["From"] = "Staff Alpha <staff@alpha.example>"
    mail["To"] = "support@samnav.invalid"
    mail["Subject"] = subject
    mail["Message-ID"] = "<journey-1@alpha.example>"
    mail["Authentication-Results"] = "mx.samnav.test; dmarc=pass header.from=alpha.example"
    mail.set_content(body)
    request = urllib.request.Request(
        portal.url(path="/inbound/email/"),
        data=mail.as_bytes(),
        method="POST",
        headers={"Content-Type": "message/rfc822", "X-Samnav-Token": TOKEN},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (localhost)
        return json.loads(response.read())


def test_a_mailed_problem_is_answered_on_the_portal_and_resolved(portal):
    page = portal.page
    # given a problem mailed in by alpha's staff member
    result = _mail_in(portal, "Skrivaren på plan 3 är trasig", "Den drar in två ark åt gången.")
    assert result["status"] == "opened"
    # when the staff member signs in, the ticket is among theirs
    portal.sign_in("alpha-staff", agency="alpha")
    page.goto(portal.url("alpha", "/support/mine/"))
    page.get_by_role("link", name="#", exact=False).first.click()
    assert (
        page.get_by_role("heading", level=1).inner_text().endswith("Skrivaren på plan 3 är trasig")
    )
    check_page(page)
    # and replies on the portal
    page.get_by_label("Ditt svar").fill("Det gäller skrivaren vid köket.")
    page.get_by_role("button", name="Skicka").click()
    assert page.get_by_text("Det gäller skrivaren vid köket.").is_visible()
    portal.shot("email-ticket-reply")
    ticket_url = page.url
    ticket_id = ticket_url.rstrip("/").rsplit("/", 1)[-1]
    # when central IT finds it in the queue and resolves it
    portal.sign_in("desk")
    page.goto(portal.url(path="/support/queue/"))
    check_page(page)
    portal.shot("service-desk-queue")
    page.get_by_role("link", name=f"alpha#{ticket_id}").click()
    assert page.get_by_text("Det gäller skrivaren vid köket.").is_visible()
    page.get_by_label("Ditt svar").fill("Vi byter matarrullen i dag.")
    page.get_by_role("button", name="Spara").click()
    state = page.get_by_role("region", name="Ändra status")
    state.get_by_label("Ny status").select_option("resolved")
    state.get_by_label("Skäl").fill("Matarrullen är bytt.")
    state.get_by_role("button", name="Ändra status").click()
    portal.shot("ticket-clock-timeline")
    # then the staff member sees it resolved, with central IT's answer
    portal.sign_in("alpha-staff", agency="alpha")
    page.goto(ticket_url)
    assert page.get_by_text("Vi byter matarrullen i dag.").is_visible()
    facts = page.locator("dl.facts").inner_text()
    assert "Löst" in facts
