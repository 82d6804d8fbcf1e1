"""Every page carries a Content-Security-Policy without inline scripts and a
Permissions-Policy (issue 18), and no template holds an inline script or event handler that
the policy would block (the browser tests fail on any violation: tests/browser/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.graphql import host_of

pytestmark = pytest.mark.django_db
REPO = Path(settings.BASE_DIR)


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("where", ["central", "agency"])
def test_pages_carry_the_policies(federation, where):
    agency = federation.alpha if where == "agency" else None
    client = Client(HTTP_HOST=host_of(agency))
    client.force_login(federation.user("alpha-admin" if agency else "root"))
    response = client.get("/")
    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_template_holds_an_inline_script_or_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    offenders = []
    for template in sorted(REPO.glob("**/templates/**/*.html")):
        if ".venv" in template.parts:
            continue
        text = template.read_text()
        if inline_script.search(text) or handler.search(text):
            offenders.append(str(template.relative_to(REPO)))
    assert offenders == []
