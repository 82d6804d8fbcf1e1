"""The service desk's major-incident console, read in a real browser (Chromium, Playwright):
`python -m tests.platform.console_check PORT SERVICE SHOTS_DIR` signs in as `desk` on the
central host of a running `manage.py serve`, opens /incidents/ and exits 0 when the incident
about SERVICE is shown with tickets of the test federation's two agencies, else 1 with what
the page showed.

Its own process: a test process that already drives a browser (tests/browser/) runs
Playwright's event loop, and a second synchronous Playwright cannot start inside it."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD


def main(port: int, service: str, shots: Path) -> int:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(locale="sv-SE")
        base = f"http://localhost:{port}"
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Användarnamn").fill("desk")
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in", exact=True).click()
        page.wait_for_load_state()
        page.goto(f"{base}/incidents/")
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "make-run-major-incident.png"), full_page=True)
        incident = page.get_by_role("region", name=service)
        shown = (
            incident.count() == 1
            and incident.get_by_text("Länsstyrelsen Alfa").count() >= 1
            and incident.get_by_text("Länsstyrelsen Beta").count() >= 1
        )
        text = page.locator("main").inner_text()
        browser.close()
    if not shown:
        print(f"the console does not show the incident about {service}:\n{text}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])))
