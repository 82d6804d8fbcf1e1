"""axe-core (WCAG 2.0/2.1 A and AA) on every portal page, for every role that can open it, in
Swedish and in English, and after each form's errors are shown (tests/browser/axe_walk.py);
and each page at 320 CSS px (400 % zoom): nothing scrolls sideways, screenshots kept.

The server holds the demo federation (seven county boards), so every page has rows to show.
One walk per host, role and language; what each walk found is written to the artefacts
(.test-artifacts/axe/), the exceptions allowed are `EXCEPTIONS` below, reviewed, and empty.
"""

from __future__ import annotations

import json

import pytest

from tests.browser import axe_walk
from tests.browser.axe_walk import ARTEFACTS
from tests.security import url_walk

# (host, who): who walks which host; None walks signed out. Every role of tenants/roles.py.
WALKERS = [
    ("central", None),
    ("central", "admin"),
    ("central", "katalog"),
    ("central", "servicedesk"),
    ("central", "tekniker"),
    ("central", "ekonomi"),
    ("central", "servicepunkt"),
    # an agency that has not yet accepted last month's statement, so it may dispute a line
    ("jonkoping", None),
    ("jonkoping", "jonkoping-admin"),
    ("jonkoping", "jonkoping-staff"),
]
LANGUAGES = ("sv", "en")

# (axe rule, route) -> why it is allowed. Reviewed; add only with a reason a reviewer accepts.
EXCEPTIONS: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="session")
def walks(demo_portal, browser) -> dict[tuple[str, str | None, str], axe_walk.Walk]:
    """Every walk, once per session (the route check below reads them all)."""
    done = {}
    for language in LANGUAGES:
        for host, who in WALKERS:
            done[(host, who, language)] = _walk(demo_portal, browser, host, who, language)
    return done


def _walk(server, browser, host: str, who: str | None, language: str) -> axe_walk.Walk:
    context, page, base, csp = axe_walk.signed_in(server, browser, host, who, language)
    try:
        kind = "central" if host == "central" else "agency"
        narrow = None
        if language == "sv":  # the layout does not change with the language
            narrow = ARTEFACTS / "320px"
            narrow.mkdir(exist_ok=True)
        result = axe_walk.walk(page, base, kind, who or "signed out", language, narrow)
    finally:
        context.close()
    result.csp = csp
    name = f"{host}-{who or 'anonymous'}-{language}.json"
    (ARTEFACTS / name).write_text(
        json.dumps(
            {
                "opened": result.opened,
                "not_pages": result.refused,
                "findings": [f.__dict__ for f in result.findings],
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    return result


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("host", "who"), WALKERS)
def test_no_page_has_an_axe_violation(walks, host, who, language):
    walk = walks[(host, who, language)]
    assert walk.opened, f"{who} opened no page on {host}"
    if who:
        assert "/" in walk.opened, f"{who} was not signed in"
    found = [f for f in walk.findings if (f.rule, f.route) not in EXCEPTIONS]
    assert not found, "axe-core found:\n" + "\n".join(f.line() for f in found)
    assert walk.csp == [], walk.csp


# Who asks, on each kind of host, whether a route no walk reached answers only POST.
ASKERS = {"central": ("central", "admin"), "agency": ("jonkoping", "jonkoping-admin")}


def test_every_route_is_a_page_someone_opened_or_says_what_it_is(walks, demo_portal, browser):
    """A route no walk reached fails, unless it only takes POST (a form's target: it answers
    a GET with 405 before it looks for its row) or NOT_PAGES names it with the reason. So a
    page with parameters must be linked from some page the walk opens."""
    reached: dict[str, set[str]] = {kind: set() for kind in axe_walk.URLCONF}
    for (host, _who, _language), walk in walks.items():
        kind = "central" if host == "central" else "agency"
        reached[kind] |= {axe_walk.family(r) for r in [*walk.opened, *walk.refused]}
    missing: dict[str, list[str]] = {}
    for kind, (host, who) in ASKERS.items():
        unreached = [r for r in axe_walk.templates(kind) if axe_walk.family(r) not in reached[kind]]
        context, page, base, _csp = axe_walk.signed_in(demo_portal, browser, host, who, "sv")
        try:
            answers = {r: page.evaluate(axe_walk.PROBE, base + url_walk.fill(r)) for r in unreached}
        finally:
            context.close()
        missing[kind] = sorted(r for r, (status, _k, _w) in answers.items() if status != 405)
    assert missing == {"agency": [], "central": []}


def test_every_exception_is_still_needed(walks):
    """An exception whose violation is gone is taken off the list."""
    seen = {(f.rule, f.route) for walk in walks.values() for f in walk.findings}
    assert [key for key in EXCEPTIONS if key not in seen] == []
