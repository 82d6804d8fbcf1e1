"""SCIM requests in tests: the Django test client on an agency's host, with a SCIM token."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from services.people.scim.actions import create_token
from tests.graphql import host_of

SCIM = "application/scim+json"


def token_of(agency, name: str = "Entra ID") -> str:
    return create_token(agency, None, name)[1]


def scim(
    method: str,
    path: str,
    body: Any = None,
    *,
    agency=None,
    token: str | None = None,
    raw: bytes | None = None,
):
    """`method` on /scim/v2/`path` of `agency`'s host (the central host when None)."""
    client = Client(HTTP_HOST=host_of(agency))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else (json.dumps(body) if body is not None else "")
    response = client.generic(method, f"/scim/v2/{path}", data=data, content_type=SCIM, **headers)
    is_json = response.get("Content-Type", "").startswith(SCIM) and response.content
    response.body = json.loads(response.content) if is_json else None
    return response
