"""Every portal page, for every role that can open it, checked by axe-core in the browser.

The pages come from the URL configurations (tests/security/url_walk.py): every route without
parameters is requested, and a route with parameters is requested with the first link to it
the walk finds on a page it has opened (so it is checked as soon as any page links to it). A
route the walk never reaches fails the test unless `NOT_PAGES` names it with the reason.

axe-core is Deque's npm package (tests/browser/axe/package.json), injected into every
document before the page's own scripts; the rules are WCAG 2.0 and 2.1, A and AA.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from tests.security import url_walk

AXE_DIR = Path(__file__).parent / "axe"
ARTEFACTS = Path(__file__).resolve().parents[2] / ".test-artifacts" / "axe"
DEMO_PASSWORD = "samnav-demo"  # the demo federation's (settings.SAMNAV_DEMO_PASSWORD)
SIGN_IN = {"sv": ("Användarnamn", "Lösenord"), "en": ("Username", "Password")}
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
URLCONF = {"agency": "routes.agency", "central": "routes.central"}

# Routes that are not pages a person opens, or that the walk cannot reach, with the reason
# (a key ending in "*" names every route under it). Reviewed: keep it short.
NOT_PAGES = {
    "/accounts/logout/": "signs out (the walk would end its own session)",
    "/i18n/setlang/": "sets the language by POST and redirects",
    "/graphql/": "the API (GraphiQL is a developer's tool, not a portal page)",
    "/healthz": "a probe for the orchestrator, plain text",
    "/readyz": "a probe for the orchestrator, plain text",
    "/accounts/passkeys/*": "WebAuthn ceremonies: JSON for the browser's own dialogue",
    "/accounts/oidc/*": "redirects to the agency's identity provider",
    "/accounts/saml/*": "SAML bindings and metadata (XML), for the identity provider",
    "/accounts/federated/*": "hand-offs between Samnav and identity providers (redirects)",
    "/scim/*": "the SCIM 2.0 API (JSON) for identity providers, checked by scim2-tester",
    "/admin/jsi18n/": "the Django admin's JavaScript catalogue",
    "/admin/autocomplete/": "the Django admin's JSON for its search boxes",
    "/admin/<model>/<path:object_id>/": "Django's old address of a change page: a redirect",
    "/admin/r/*": "the Django admin's 'view on site': a redirect",
    "/admin/<model>/<path:object_id>/delete/": "no one may delete in the admin (every write "
    "goes through the domain's actions): the admin offers no such page",
    "/admin/<model>/<path:object_id>/usage/": "the licence pool's usage upload, linked from the "
    "pool's admin page only: the walk opens one admin change page per role",
    "/support/chat/<int:pk>/": "a chat exists once started: test_axe_interactions.py starts one",
    "/support/rate/*": "a signed link from a mail: test_axe_interactions.py opens one",
    "/support/<int:pk>/files/*": "an attachment, a download (the demo has none)",
    "/costs/exports/*": "an export's progress and file: exist once an export is started "
    "(tests/browser/test_cost_journey.py)",
    "/costs/runs/*": "a split's progress: exists once a split is run (test_cost_journey.py)",
    "/costs/<int:period_id>/statement.*": "a statement's file (PDF, CSV, XLSX): a download, "
    "tested in tests/costs/exports/",
    "/costs/lines/<int:line_id>/correct/": "a correction of a closed month: "
    "test_axe_interactions.py opens one (the walk opens the newest month's lines)",
    "/ordering/overrides/<slug:agency_slug>/<int:pk>/": "finance's page of an order over "
    "budget: the demo has none waiting (not yet checked by axe)",
    "/identity/<int:pk>/*": "an agency's identity provider: the demo has none configured",
}

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5), count: v.nodes.length}));
}"""

PROBE = """async (url) => { let r;
  try { r = await fetch(url, {redirect: 'manual'}); } catch (e) { return [-1, String(e), false]; }
  const kind = r.headers.get('content-type') || '';
  const whole = kind.startsWith('text/html') && /<html/i.test((await r.text()).slice(0, 400));
  return [r.status, kind.split(';')[0], whole]; }"""

# The first POST form of the page's main with a required field, submitted with its required
# fields empty: the server refuses it (nothing is written) and shows its errors.
SUBMIT_EMPTY = """(dry) => {
  const wanted = 'input[required]:not([type=hidden]):not([type=checkbox]):not([type=radio]),'
    + 'textarea[required], select[required]';
  const posts = f => (f.getAttribute('method') || '').toLowerCase() === 'post';
  const form = [...document.querySelectorAll('main form')]
    .find(f => posts(f) && f.querySelector(wanted));
  if (!form) return false;
  if (dry) return true;
  form.noValidate = true;
  form.querySelectorAll(wanted).forEach(el => {
    if (el.tagName === 'SELECT') el.selectedIndex = -1; else if (el.type !== 'file') el.value = '';
  });
  form.requestSubmit();
  return true;
}"""

# Where a page leads: its links, its forms' targets and htmx's addresses (a POST-only target
# answers a GET with 405 and is recorded as such).
LINKS = """() => [
  ...[...document.querySelectorAll('a[href]')].map(a => a.href),
  ...[...document.querySelectorAll('form[action]')].map(f => f.getAttribute('action')),
  ...[...document.querySelectorAll('[hx-get], [hx-post]')]
    .map(el => el.getAttribute('hx-get') || el.getAttribute('hx-post')),
].map(u => new URL(u, document.baseURI).href)"""


def ensure_axe() -> Path:
    """axe-core from npm (installed on first use, as the OpenID provider's packages are)."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed for axe-core (tests/browser/axe/)")
        subprocess.run([npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=AXE_DIR, check=True)
    return AXE_JS


def signed_in(server, browser, host: str, who: str | None, language: str):
    """A browser context with axe-core in every document, in `language`, signed in as `who`
    on `host` ("central" or an agency's slug): (context, page, base URL, CSP reports)."""
    base = server.url(None if host == "central" else host, "").rstrip("/")
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(ensure_axe()))
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else 0)
    if who:
        username, password = SIGN_IN[language]
        page.goto(base + "/accounts/login/")
        page.get_by_label(username).fill(who)
        page.get_by_label(password, exact=True).fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    return context, page, base, csp


def run_axe(page) -> list[dict]:
    return page.evaluate(AXE_RUN, WCAG_TAGS)


def skipped(template: str) -> bool:
    """Named in NOT_PAGES: as it is, or under a key ending in "*" (a prefix)."""
    route = family(template)
    return any(
        route.startswith(key[:-1]) if key.endswith("*") else route == key for key in NOT_PAGES
    )


def route_of(url: str, host: str) -> str | None:
    """The route template ("/support/<int:ticket_id>/") that serves `url` on `host`."""
    try:
        match = resolve(urlsplit(url).path, urlconf=URLCONF[host])
    except Resolver404:
        return None
    return "/" + match.route.replace("^", "").replace("\\Z", "").replace("$", "")


ADMIN_MODEL = re.compile(r"^/admin/[a-z_]+/[a-z_]+/")
ADMIN_APP = re.compile(r"^/admin/\(\?P<app_label>[^)]*\)/$")


def family(route: str) -> str:
    """The Django admin's pages of every model share one template per kind (list, change,
    add, history, delete): one of each kind is checked per role, and one app index."""
    if ADMIN_APP.match(route):
        return "/admin/<app>/"
    return ADMIN_MODEL.sub("/admin/<model>/", route)


def templates(host: str) -> list[str]:
    return [t for t in url_walk.templates(URLCONF[host]) if not skipped(t)]


@dataclass
class Finding:
    route: str
    url: str
    who: str
    language: str
    rule: str
    impact: str
    help: str
    count: int
    nodes: list[str]

    def line(self) -> str:
        return (
            f"{self.rule} ({self.impact}, {self.count}) on {self.url} as {self.who} "
            f"[{self.language}]: {self.help}; {'; '.join(self.nodes)}"
        )


@dataclass
class Walk:
    """What one role's walk over one host saw."""

    host: str
    who: str
    language: str
    opened: dict[str, str] = field(default_factory=dict)  # route -> the URL checked
    refused: dict[str, str] = field(default_factory=dict)  # route -> why it is no page
    findings: list[Finding] = field(default_factory=list)
    families: set[str] = field(default_factory=set)
    csp: list[str] = field(default_factory=list)  # Content-Security-Policy reports seen

    def reflow(self, page, route: str, url: str, folder: Path) -> None:
        """At 320 CSS px nothing scrolls sideways; the screenshot goes to `folder`."""
        wide = page.viewport_size
        page.set_viewport_size(NARROW)
        width = page.evaluate(WIDTH)
        name = re.sub(r"[^a-z0-9]+", "-", f"{self.who} {route}".lower()).strip("-")
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        page.set_viewport_size(wide)
        if width > NARROW["width"]:
            self.found(route, url, "reflow-320", f"the page is {width} px wide at 320 px")

    def forced_colours(self, page, route: str, url: str) -> None:
        """In forced-colours mode (Windows' contrast themes) the browser replaces colours and
        drops backgrounds and shadows: nothing may then depend on them."""
        page.emulate_media(forced_colors="active")
        problems = page.evaluate(FORCED)
        page.emulate_media(forced_colors="none")
        for problem in problems:
            self.found(route, url, "forced-colours", problem)

    def found(
        self,
        route: str,
        url: str,
        rule: str,
        what: str,
        impact: str = "serious",
        count: int = 1,
        nodes: list[str] | None = None,
    ) -> None:
        self.findings.append(
            Finding(route, url, self.who, self.language, rule, impact, what, count, nodes or [])
        )

    def check(self, page, route: str, url: str) -> None:
        for v in run_axe(page):
            self.found(route, url, v["id"], v["help"], v["impact"], v["count"], v["nodes"])


NARROW = {"width": 320, "height": 640}
WIDTH = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


FORCED = """() => {
  const problems = [];
  const visible = el => el.getClientRects().length > 0;
  for (const span of document.querySelectorAll('.bar > span')) {
    const own = getComputedStyle(span).backgroundColor;
    if (own === getComputedStyle(span.parentElement).backgroundColor
        || own === 'rgba(0, 0, 0, 0)')
      problems.push('a bar drawn by its background: ' + span.parentElement.outerHTML.slice(0, 80));
  }
  // a field whose edge is gone cannot be found (a button keeps its words or icon)
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const s = getComputedStyle(el);
    if (visible(el) && s.borderTopStyle === 'none' && s.outlineStyle === 'none'
        && !['hidden', 'checkbox', 'radio', 'submit', 'button', 'image'].includes(el.type))
      problems.push('a field without an edge: ' + el.outerHTML.slice(0, 90));
  }
  // the first control that takes the focus (a hidden one, e.g. shown on hover, does not)
  const first = [...document.querySelectorAll('main a[href], main button, main input, main select')]
    .find(el => visible(el) && el.type !== 'hidden' && (el.focus(), document.activeElement === el));
  if (first) {
    if (getComputedStyle(first).outlineStyle === 'none')
      problems.push('no focus outline: ' + first.outerHTML.slice(0, 90));
    first.blur();
  }
  return problems;
}"""


def submit_empty(page) -> None:
    """Submit with the required fields empty; wait for the page that shows the errors (a new
    document, or htmx's swap when the form is sent by htmx)."""
    from playwright.sync_api import TimeoutError as Timeout

    try:
        with page.expect_navigation(timeout=3_000):
            page.evaluate(SUBMIT_EMPTY, False)
    except Timeout:
        pass  # htmx sent it: no navigation
    page.wait_for_load_state("networkidle")


def _not_a_page(status: int, kind: str, whole: bool) -> str:
    """Why a route's answer is not a page: "download", "fragment" (htmx's), or the status
    ("0" for a redirect, "405" for a form's POST-only target, "403" refused to this role)."""
    if status == 200:
        return "fragment" if kind == "text/html" and not whole else "download"
    return str(status)


def walk(page, base: str, host: str, who: str, language: str, narrow: Path | None = None) -> Walk:
    """Open every route of `host` that `who` may open, from `base` ("http://x.localhost:N").
    With `narrow` (a folder), each page is also measured at 320 CSS px (WCAG 1.4.10: 400 %
    zoom of a 1280 px window) and a screenshot of it at that width is kept there."""
    seen = Walk(host, who, language)
    if not page.url.startswith(base):  # the probe fetches from the host's own origin
        page.goto(base + "/healthz")
    queue = [url_walk.fill(t) for t in templates(host) if "<" not in t]
    queued = {family(route_of(base + u, host) or "") for u in queue}
    queue = [base + u for u in queue]
    while queue:
        url = queue.pop(0)
        route = route_of(url, host)
        if route is None or family(route) in seen.families:
            continue
        seen.families.add(family(route))
        # asked first without the browser's navigation: a download, or an error page without
        # a body (a POST-only route), would leave the tab on Chromium's own error page
        status, kind, whole = page.evaluate(PROBE, url)
        if status != 200 or kind != "text/html" or not whole:
            seen.refused[route] = _not_a_page(status, kind, whole)
            continue
        response = page.goto(url)
        if response is None or response.status != 200 or route_of(page.url, host) != route:
            seen.refused[route] = "redirect"
            continue
        seen.opened[route] = url
        seen.check(page, route, url)
        if narrow is not None:
            seen.reflow(page, route, url, narrow)
            seen.forced_colours(page, route, url)
        links = page.evaluate(LINKS)
        if page.evaluate(SUBMIT_EMPTY, True):
            submit_empty(page)
            seen.check(page, route + " (errors)", url)
        for link in links:
            parts = urlsplit(link)
            if f"{parts.scheme}://{parts.netloc}" != base:
                continue
            target = route_of(link, host)
            if target and not skipped(target) and family(target) not in queued:
                queued.add(family(target))
                queue.append(link.split("#")[0])
    return seen
