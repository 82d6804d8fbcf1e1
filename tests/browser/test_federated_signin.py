"""Federated sign-in in a real browser (issue 19, part 1): an agency's admin connects an
OpenID provider (panva's oidc-provider under node) on the portal page, and the sign-in page's
button takes the browser to the provider, under the portal's Content-Security-Policy
(form-action must let that form's redirect reach the provider). The rest of the protocol is
tested against the same provider in tests/federation/: this test provider's http cookies are
SameSite=Lax, which a browser withholds after a cross-site POST, where real providers use
SameSite=None over https."""

from __future__ import annotations

import pytest

from tests.browser.accessibility import check_page
from tests.browser.server import BROWSER_OIDC_SECRET
from tests.federation.helpers import OidcProvider


@pytest.fixture
def provider(portal_server):
    host = f"alpha.localhost:{portal_server.port}"
    client = {
        "client_id": "samnav-browser",
        "client_secret": BROWSER_OIDC_SECRET,
        "redirect_uris": [f"http://{host}/accounts/oidc/alpha-test-idp/login/callback/"],
        "post_logout_redirect_uris": [f"http://{host}/accounts/login/"],
    }
    accounts = {"anna": {"email": "anna@alpha.example", "name": "Anna Andersson", "groups": []}}
    started = OidcProvider([client], accounts)
    yield started
    started.stop()


def test_an_admin_connects_a_provider_and_its_button_leads_to_it(portal, provider):
    page = portal.page
    portal.sign_in("alpha-admin", agency="alpha")
    page.get_by_role("link", name="Inloggning").click()
    page.get_by_role("link", name="Lägg till OpenID Connect").click()
    assert page.locator("#id_entity_id").count() == 0  # SAML's fields are not asked for
    page.locator("#id_name").fill("Test IdP")
    page.get_by_label("Discovery-adress (OpenID Connect)").fill(provider.issuer)
    page.get_by_label("Klient-id (OpenID Connect)").fill("samnav-browser")
    page.get_by_label("Klienthemlighet: miljövariabel (OpenID Connect)").fill(
        "SAMNAV_BROWSER_OIDC_SECRET"
    )
    page.get_by_label("Roll för alla den loggar in").select_option("agency_staff")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("/accounts/oidc/alpha-test-idp/login/callback/").wait_for()
    check_page(page)
    portal.shot("identity-provider-added")
    page.get_by_role("button", name="Logga ut").click()

    # A person presses "Logga in med Test IdP": the browser follows the form's redirect to
    # the provider's sign-in page (the portal's form-action allows the provider's origin).
    page.goto(portal.url("alpha", "/accounts/login/"))
    page.get_by_role("button", name="Logga in med Test IdP").click()
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    assert page.url.startswith(provider.issuer)
