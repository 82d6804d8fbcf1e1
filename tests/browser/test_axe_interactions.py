"""axe-core after the portal's htmx interactions, on the demo federation: the order's quote as
it updates, the knowledge base's suggestions as a problem is described, the chat as it polls,
and the quote's own refusal of a bad quantity. Swedish and English."""

from __future__ import annotations

import pytest

from tests.browser import axe_walk

LANGUAGES = ("sv", "en")


def _assert_clean(page, where: str) -> None:
    found = axe_walk.run_axe(page)
    assert found == [], f"axe-core after {where}: {found}"


@pytest.fixture
def session(demo_portal, browser):
    opened = []

    def open_as(host: str, who: str, language: str):
        context, page, base, csp = axe_walk.signed_in(demo_portal, browser, host, who, language)
        opened.append((context, csp))
        return page, base

    yield open_as
    for context, csp in opened:
        context.close()
        assert csp == [], csp


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_quote_as_it_updates(session, language):
    page, base = session("uppsala", "uppsala-admin", language)
    page.goto(base + "/ordering/new/")
    before = page.locator("#quote").inner_text()
    page.locator("#id_lines-0-offering").select_option(index=1)
    page.locator("#id_lines-0-quantity").fill("3")
    page.wait_for_function(
        "(before) => document.querySelector('#quote').innerText !== before", arg=before
    )
    page.wait_for_load_state("networkidle")
    assert page.locator("#quote").get_attribute("aria-live") == "polite"
    _assert_clean(page, "the quote's update")
    page.locator("#id_lines-0-quantity").fill("-4")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(700)  # the quote waits 500 ms after typing
    page.wait_for_load_state("networkidle")
    _assert_clean(page, "the quote's refusal of a negative quantity")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_suggestions_as_a_problem_is_described(session, language):
    page, base = session("uppsala", "uppsala-staff", language)
    page.goto(base + "/support/new/")
    page.locator("#id_subject").press_sequentially("skrivaren skriver inte ut", delay=20)
    page.locator("#suggestions .card").first.wait_for()
    _assert_clean(page, "the suggestions")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chat_as_it_polls(session, language):
    page, base = session("uppsala", "uppsala-staff", language)
    page.goto(base + "/support/chat/")
    page.locator("#id_text").press_sequentially("Jag kommer inte in i e-posten", delay=20)
    page.wait_for_load_state("networkidle")
    _assert_clean(page, "the chat's suggestions")
    start = "Starta chatten" if language == "sv" else "Start the chat"
    with page.expect_navigation():
        page.get_by_role("button", name=start).click()
    with page.expect_response(lambda r: "/support/chat/" in r.url and r.request.method == "GET"):
        pass  # the conversation polls every 3 s
    page.wait_for_load_state("networkidle")
    _assert_clean(page, "the chat's poll")


def _rating_token(server) -> str:
    """A signed rating link of a resolved ticket of Uppsala's, as its resolution mail has."""
    import psycopg
    from django.core import signing

    from services.support.satisfaction.links import SALT

    with psycopg.connect(server.env["DATABASE_URL"]) as conn:
        agency, schema = conn.execute(
            "SELECT id, schema_name FROM tenants_agency WHERE slug = 'uppsala'"
        ).fetchone()
        ticket, resolved = conn.execute(
            f'SELECT id, resolved_at FROM "{schema}".support_ticket '  # noqa: S608 (our schema)
            "WHERE resolved_at IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    claim = {"a": agency, "t": ticket, "r": int(resolved.timestamp())}
    return signing.dumps(claim, salt=SALT, compress=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_rating_link_of_a_mail_and_a_missing_page(demo_portal, session, language):
    page, base = session("uppsala", None, language)
    answer = page.goto(f"{base}/support/rate/{_rating_token(demo_portal)}/")
    assert answer.status == 200
    _assert_clean(page, "opening a rating link")
    answer = page.goto(base + "/support/no-such-page/")
    assert answer.status == 404
    _assert_clean(page, "the missing page")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_that_refuses(session, language):
    page, base = session("uppsala", "uppsala-staff", language)
    answer = page.goto(base + "/ordering/budgets/")  # agency admins' page
    assert answer.status == 403
    _assert_clean(page, "a refusal")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_correction_of_a_closed_month(session, language):
    """Finance books a correction from a closed month's lines (the walk opens the newest
    month's, which is open): the form, and its errors."""
    page, base = session("central", "ekonomi", language)
    page.goto(base + "/costs/")
    months = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('main a[href]')].map(a => a.href)"
        ".filter(h => /\\/costs\\/\\d+\\/$/.test(h)))]"
    )
    for month in months:
        page.goto(month + "lines/")
        correct = page.locator("a[href*='/correct/']").first
        if correct.count():
            break
    else:
        pytest.fail(f"no closed month with lines among {months}")
    with page.expect_navigation():
        correct.click()
    _assert_clean(page, "the correction form")
    assert page.evaluate(axe_walk.SUBMIT_EMPTY, True), "the form has required fields"
    axe_walk.submit_empty(page)
    _assert_clean(page, "the correction form's errors")
