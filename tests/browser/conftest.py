"""Browser tests: headless Debian Chromium driven by Playwright against a real server.

Skipped, with the reason printed, when Chromium or Playwright is missing (`make browser-deps`
installs them; `make test` tries that first). Screenshots of the key pages go to the folder
printed at the end of the run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from tests.browser.server import REPO, PortalServer

CHROMIUM = os.environ.get("SAMNAV_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "test-password-1"
SHOTS = REPO / ".test-artifacts" / "screenshots" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return (
            f"browser tests skipped: Chromium not found at {CHROMIUM} "
            "(install Debian's chromium package: `make browser-deps`, or set SAMNAV_CHROMIUM)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests skipped: the playwright package is not installed (`make install`)"
    return None


@pytest.fixture(scope="session")
def portal_server():
    reason = _missing()
    if reason:
        pytest.skip(reason)
    SHOTS.mkdir(parents=True, exist_ok=True)
    db_name = os.environ.get("SAMNAV_BROWSER_DB", "samnav_browser")
    server = PortalServer(db_name, SHOTS)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_portal(browser):
    """A server with the demo federation (seven county boards): the accessibility walk's."""
    from tests.browser.axe_walk import ARTEFACTS
    from tests.browser.server import DemoPortalServer

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for old in [*ARTEFACTS.glob("*.json"), *ARTEFACTS.glob("320px/*.png")]:  # an earlier run's
        old.unlink()
    server = DemoPortalServer(os.environ.get("SAMNAV_AXE_DB", "samnav_axe"), ARTEFACTS)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    # Playwright runs an event loop in this thread; Django's guard against sync database use
    # inside one does not apply: these tests never use Django's database connection.
    reason = _missing()
    if reason:
        pytest.skip(reason)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A page whose console is watched: any Content-Security-Policy violation on it fails the
    test (the portal must run under its policy with none)."""
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    violations: list[str] = []
    pg.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield pg
    context.close()
    assert violations == [], violations


class Portal:
    """What a test needs of the server: addresses, signing in, screenshots."""

    def __init__(self, server: PortalServer, page):
        self.server, self.page = server, page

    def url(self, agency: str | None = None, path: str = "/") -> str:
        return self.server.url(agency, path)

    def sign_in(self, username: str, agency: str | None = None) -> None:
        page = self.page
        page.goto(self.url(agency, "/accounts/login/"))
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in", exact=True).click()
        page.wait_for_load_state()

    def shot(self, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def portal(portal_server, page) -> Portal:
    return Portal(portal_server, page)


def pytest_terminal_summary(terminalreporter):
    if SHOTS.exists() and any(SHOTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {SHOTS}")
