"""Every page and download of a URL configuration, as route templates to fill: the portal's
and the admin's matrices are generated from them, so a new page is checked without anyone
adding it."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_TEXT_KINDS = {"str", "slug", "path"}


def templates(urlconf: str) -> list[str]:
    """Every route of `urlconf` ("/costs/<int:period_id>/"), regex routes without groups."""
    return sorted(set(_walk(get_resolver(urlconf).url_patterns, "")))


def _walk(patterns, prefix: str) -> list[str]:
    found = []
    for entry in patterns:
        route = getattr(entry.pattern, "_route", None)
        if route is None:  # a regex pattern (the admin's catch-all): its plain form, if any
            regex = entry.pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
            if re.search(r"[()\[\]?*+\\]", regex):
                continue
            route = regex
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            found.append("/" + prefix + route)
    return found


def takes_ids(template: str) -> bool:
    return any((m["kind"] or "str") == "int" for m in CONVERTER.finditer(template))


def fill(template: str, number: int = 1, text: str = "x") -> str:
    """The template with every int parameter `number`, every text one `text` (a uuid zeros)."""

    def value(match) -> str:
        kind = match["kind"] or "str"
        if kind == "int":
            return str(number)
        return text if kind in _TEXT_KINDS else "0" * 32

    return CONVERTER.sub(value, template)
