"""Reflow (WCAG 1.4.10): at 320 CSS px, as at 400 % zoom of a 1280 px window, pages with wide
tables fit the window: nothing scrolls sideways. Screenshots at 320 px go to the artefacts."""

from __future__ import annotations

import pytest

NARROW = {"width": 320, "height": 640}
WIDTH = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


@pytest.mark.parametrize(
    ("who", "agency", "path", "name"),
    [
        ("alpha-admin", "alpha", "/support/all/?state=all", "agency-tickets"),
        ("alpha-staff", "alpha", "/support/mine/?state=all", "my-tickets"),
    ],
)
def test_a_page_of_tickets_fits_a_320_px_window(portal, who, agency, path, name):
    portal.sign_in(who, agency)
    portal.page.set_viewport_size(NARROW)
    portal.page.goto(portal.url(agency, path))
    portal.shot(f"reflow-320-{name}")
    assert portal.page.evaluate(WIDTH) <= NARROW["width"]
