"""Calling the real GraphQL endpoint through Django's test client, on a chosen host."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.test import Client


@dataclass
class GqlResponse:
    status: int
    body: dict

    @property
    def data(self) -> dict | None:
        return self.body.get("data")

    @property
    def errors(self) -> list[dict]:
        return self.body.get("errors") or []


def host_of(agency) -> str:
    return "localhost" if agency is None else f"{agency.slug}.localhost"


def gql(
    query: str, variables: dict | None = None, *, agency=None, user=None, token: str | None = None
) -> GqlResponse:
    """POST a GraphQL request to the host of `agency` (central host when None)."""
    client = Client(HTTP_HOST=host_of(agency))
    headers = {}
    if user is not None:
        client.force_login(user)
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )
    return GqlResponse(response.status_code, response.json())
