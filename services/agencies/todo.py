"""The to-do list of the signed-in person: what waits for them in every domain, with counts.

Domains may not import one another (pyproject [tool.importlinter]), so each domain offers a
provider (`services/<domain>/todo.py`: a function of the viewer returning its items) and the
routes layer, which may import every domain, registers them here at start-up
(platform/routes/todo.py). The home pages show the counts; `todo/` lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.viewer import Viewer, of_request


@dataclass(frozen=True)
class TodoItem:
    key: str  # stable, for tests and styling: "orders_to_approve"
    label: str
    count: int
    url: str


# A provider returns its domain's items for the viewer as (key, label, count, url) tuples ([]
# when none concerns them); it asks its own policies, on the viewer's host, and keeps a
# constant number of queries.
Provider = Callable[[Viewer], list[tuple[str, str, int, str]]]
PROVIDERS: list[Provider] = []


def register(*providers: Provider) -> None:
    for provider in providers:
        if provider not in PROVIDERS:
            PROVIDERS.append(provider)


def items_for(viewer: Viewer) -> list[TodoItem]:
    """Every registered domain's items for the viewer, in registration order (a suspended
    agency's people hold no role, so nothing waits for them)."""
    if viewer.user is None:
        return []
    return [TodoItem(*item) for provider in PROVIDERS for item in provider(viewer)]


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    items = items_for(of_request(request))
    return render(request, "todo.html", {"items": items})
