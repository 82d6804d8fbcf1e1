"""Keyboard-only driving of the portal for the browser tests (WCAG 2.1 AA: 2.1.1 keyboard,
2.4.3 focus order, 2.4.7 focus visible, 3.3.1 error identification, 4.1.3 status messages).

Only `page.keyboard` moves the focus or changes a value here; the page is read by script, never
changed by it. Each Tab stop is checked: the focus is on a visible element with a visible focus
indicator, it moved forward in document order (backward for Shift+Tab), and it did not fall
back on the body (as it does when an htmx swap removes the focused element).
"""

from __future__ import annotations

import re

from tests.browser.conftest import PASSWORD

# What a screen reader would read for the focused element: an approximation of the accessible
# name computation that is enough for the portal's controls.
_NAME = """el => {
  const text = n => (n ? n.textContent : '').replace(/\\s+/g, ' ').trim();
  if (el.getAttribute('aria-labelledby')) {
    return el.getAttribute('aria-labelledby').split(/\\s+/)
      .map(id => text(document.getElementById(id))).join(' ');
  }
  if (el.getAttribute('aria-label')) return el.getAttribute('aria-label').trim();
  if (el.labels && el.labels.length) return [...el.labels].map(text).join(' ');
  if (el.tagName === 'INPUT' && ['submit', 'button'].includes(el.type)) return el.value;
  return text(el) || el.title || '';
}"""

# The focused element, described: a number for its place in the document (checked against
# the last stop), its name, and whether the focus shows and the element can be seen.
_STOP = (
    """() => {
  const el = document.activeElement;
  const name = ("""
    + _NAME
    + """)(el || document.body);
  if (!el || el === document.body || el === document.documentElement) {
    return {body: true, name: ''};
  }
  const prev = window.__kbLast;
  let order = 0;
  if (prev && prev !== el && prev.isConnected) {
    const pos = prev.compareDocumentPosition(el);
    order = pos & Node.DOCUMENT_POSITION_FOLLOWING ? 1
      : pos & Node.DOCUMENT_POSITION_PRECEDING ? -1 : 0;
  }
  window.__kbLast = el;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return {
    body: false, name, order, tag: el.tagName.toLowerCase(), id: el.id,
    html: el.outerHTML.slice(0, 160),
    visibleFocus: outline || !!shadow,
    shown: r.width > 0 && r.height > 0 && s.visibility !== 'hidden',
  };
}"""
)


def _describe(stop: dict) -> str:
    return "<body>" if stop["body"] else f"{stop['tag']}#{stop['id']} {stop['name']!r}"


def focused(page) -> dict:
    """The focused element as _STOP describes it (and the new reference for the order)."""
    return page.evaluate(_STOP)


def forget_order(page) -> None:
    """Start the order check afresh from the focused element (after a page load, say)."""
    page.evaluate("() => { window.__kbLast = document.activeElement; }")


def _matches(page, stop: dict, name, css: str | None, near: str | None) -> bool:
    if stop["body"]:
        return False
    if css is not None and not page.evaluate("s => document.activeElement.matches(s)", css):
        return False
    if near is not None and near not in page.evaluate(
        "() => (document.activeElement.closest('tr, li, .card') || {}).innerText || ''"
    ):
        return False
    if name is None:
        return True
    if isinstance(name, re.Pattern):
        return bool(name.search(stop["name"]))
    return name.casefold() in stop["name"].casefold()


def tab_to(
    page, name=None, *, css: str | None = None, near: str | None = None, max_tabs=40, back=False
) -> dict:
    """Press Tab (Shift+Tab with back=True) until the focused element has `name` in its
    accessible name (a string, case-insensitive, or a compiled pattern), matches `css` and
    (with `near`) is in a table row, list item or card that shows that text.

    Fails if that takes more than `max_tabs` presses, or if at any stop the focus is lost on
    the body, goes the wrong way in the document, sits on an element that cannot be seen, or
    does not show.
    """
    assert name is not None or css is not None
    key = "Shift+Tab" if back else "Tab"
    seen: list[str] = []
    for _ in range(max_tabs):
        page.keyboard.press(key)
        stop = focused(page)
        seen.append(_describe(stop))
        assert not stop["body"], f"focus lost on the body after {seen}"
        assert stop["order"] != (1 if back else -1), f"focus went the wrong way: {seen}"
        assert stop["shown"], f"focus on an element that cannot be seen: {stop['html']}"
        assert stop["visibleFocus"], f"no visible focus indicator on {stop['html']}"
        if _matches(page, stop, name, css, near):
            return stop
    raise AssertionError(f"{name or css!r} not reached in {max_tabs} {key} presses: {seen}")


def skip_to_content(page) -> None:
    """From the top of a page: the skip link is the first stop; Enter moves to the content."""
    if page.evaluate("() => document.activeElement.id") != "content":
        # not there already (as after a form sent from an address ending in #content)
        page.evaluate("() => { window.__kbLast = null; }")
        tab_to(page, css="a.skip", max_tabs=1)
        page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content", "not in the content"
    forget_order(page)


def assert_focus_on(page, css: str) -> dict:
    """The focus is (still) on the element `css` selects, and shows."""
    stop = focused(page)
    assert not stop["body"], "focus lost on the body"
    assert page.evaluate("s => document.activeElement.matches(s)", css), _describe(stop)
    assert stop["visibleFocus"], f"no visible focus indicator on {stop['html']}"
    return stop


def type_text(page, text: str) -> None:
    """Replace the focused field's text by typing."""
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    if text:
        page.keyboard.type(text)


def type_month(page, month: str) -> None:
    """Type a month ("2026-11") into the focused month field: its month, then its year."""
    year, number = month.split("-")
    page.keyboard.type(number)
    page.keyboard.press("ArrowRight")
    page.keyboard.type(year)
    assert page.evaluate("() => document.activeElement.value") == month


def choose(page, option: str) -> None:
    """Choose an option of the focused <select> (by value or visible text) with arrow keys."""
    at, to = page.evaluate(
        """o => { const s = document.activeElement;
          const i = [...s.options].findIndex(x => x.value === o || x.text.trim() === o);
          return [s.selectedIndex, i]; }""",
        option,
    )
    assert to >= 0, f"no option {option!r}"
    for _ in range(abs(to - at)):
        page.keyboard.press("ArrowDown" if to > at else "ArrowUp")
    assert page.evaluate("() => document.activeElement.selectedIndex") == to


def sign_in(page, url: str, username: str) -> None:
    """Sign in on the sign-in page at `url` with the keyboard alone."""
    page.goto(url)
    tab_to(page, css="#id_username")
    type_text(page, username)
    tab_to(page, css="#id_password", max_tabs=1)
    type_text(page, PASSWORD)
    submit(page)
    assert "/accounts/login/" not in page.url, f"not signed in as {username}"


def follow(page, name=None, *, css: str | None = None, near: str | None = None, max_tabs=40):
    """Tab to a link or button and press Enter; wait for the page it leads to."""
    tab_to(page, name, css=css, near=near, max_tabs=max_tabs)
    submit(page)


def submit(page, key: str = "Enter") -> None:
    """Press a key that loads a new page (a link's Enter, a form's submit) and wait for it."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def live_region(page, css: str) -> str:
    """The text of a region that screen readers announce when it changes: the element `css`
    selects (or an ancestor) has aria-live="polite"/"assertive" or role=status/alert."""
    polite = page.evaluate(
        """s => { const el = document.querySelector(s);
          return !!(el && el.closest('[aria-live=polite], [aria-live=assertive], '
                                     + '[role=status], [role=alert]')); }""",
        css,
    )
    assert polite, f"{css} is not in a live region: its changes are not announced"
    return page.locator(css).inner_text()


def wait_for_new_text(page, css: str, before: str) -> str:
    """Wait until the live region's text differs from `before`, and htmx has settled."""
    page.wait_for_function(
        "([s, t]) => { const el = document.querySelector(s); return el && el.innerText !== t; }",
        arg=[css, before],
    )
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")
    return page.locator(css).inner_text()


def assert_error_tied(page, field_css: str) -> None:
    """The field is marked invalid and described by its (visible) error message, and the
    focus is on the first error: the error summary, or the first invalid field."""
    field = page.locator(field_css)
    assert field.get_attribute("aria-invalid") == "true", f"{field_css} not aria-invalid"
    ids = (field.get_attribute("aria-describedby") or "").split()
    errors = [i for i in ids if page.locator(f"[id='{i}']:is(.error, .errorlist)").count() == 1]
    assert errors, f"{field_css} is not described by its error (aria-describedby={ids})"
    assert page.locator(f"[id='{errors[0]}']").inner_text().strip()
    stop = focused(page)
    on_summary = page.evaluate("() => document.activeElement.matches('.error-summary')")
    first_invalid = page.evaluate(
        "() => document.activeElement === document.querySelector('[aria-invalid=true]')"
    )
    assert on_summary or first_invalid, f"focus not on the errors but on {_describe(stop)}"
    assert stop["visibleFocus"], f"no visible focus indicator on {stop['html']}"
