"""Passkeys in a real browser (issue 19, part 4): Chromium's virtual authenticator (the
DevTools WebAuthn domain) stands in for a phone or a security key. A passkey registered on an
agency's host signs its owner in there without a password, as a second factor given; it is
bound to that host, so another host never accepts it."""

from __future__ import annotations

from tests.browser.accessibility import check_page


def _authenticator(page) -> tuple[object, str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_a_passkey_signs_in_without_a_password_on_its_own_host_only(portal):
    page = portal.page
    cdp, authenticator = _authenticator(page)
    # given alpha's staff member, signed in with a password, registering a passkey
    portal.sign_in("alpha-staff", agency="alpha")
    page.goto(portal.url("alpha", "/accounts/second-factor/enrol/"))
    page.get_by_role("button", name="Registrera en passkey").click()
    page.get_by_text("Registreringen lyckades!").wait_for()
    check_page(page)
    portal.shot("passkey-registered")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert [c["rpId"] for c in credentials["credentials"]] == ["alpha.localhost"]
    # and they are given ten recovery codes, once, for the day the passkey is lost
    page.get_by_role("link", name="Fortsätt när passkeyn är registrerad").click()
    page.get_by_role("heading", name="Reservkoder").wait_for()
    assert page.locator("ul.codes li").count() == 10
    # when they sign out and sign in again with the passkey alone
    page.get_by_role("button", name="Logga ut").click()
    page.goto(portal.url("alpha", "/accounts/login/"))
    page.get_by_role("button", name="Logga in med passkey").click()
    page.wait_for_url(portal.url("alpha", "/"))
    # then they are signed in, on alpha's host
    assert page.get_by_role("heading", level=1).inner_text() == "Länsstyrelsen Alfa"
    assert page.get_by_role("button", name="Logga ut").is_visible()
    # and on beta's host the same passkey signs nobody in
    page.goto(portal.url("beta", "/accounts/login/"))
    page.get_by_role("button", name="Logga in med passkey").click()
    page.get_by_text("Verifieringen avbröts eller tilläts inte.").wait_for()
    assert "/accounts/login/" in page.url
