"""A signed-in browser-less client on a host, for page tests (permissions, errors, queries)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.graphql import host_of


def portal_client(agency=None, user=None) -> Client:
    """A client on `agency`'s host (the central host when None), signed in as `user`."""
    client = Client(HTTP_HOST=host_of(agency))
    if user is not None:
        client.force_login(user)
    return client


def count_queries(fn) -> tuple[int, object]:
    """Run fn(); return (number of SQL queries it made, its result)."""
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result
