"""The lifecycle matrix: a suspended agency's admin and staff are refused everything, on the
agency's host and on the central host, by session and by API token, and nothing is written.

Generated, so that a new page, download, query or mutation is covered without anyone adding
it: every URL pattern of both URL configurations (ids filled with 1, text with "x") and every
query and mutation field of the GraphQL schema. Only signing out, health and static files
stay open (`IdentityLifecycleMiddleware.OPEN`).
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from api.schema import schema
from services.agencies import actions
from services.agencies.tokens import issue_api_token
from services.audit.models import AuditEvent
from tenants.middleware import IdentityLifecycleMiddleware
from tenants.models import ApiToken, RoleGrant
from tests.security import url_walk

pytestmark = pytest.mark.django_db


def _pages() -> list[str]:
    paths = set()
    for urlconf in (settings.PUBLIC_SCHEMA_URLCONF, settings.ROOT_URLCONF):
        paths |= {url_walk.fill(t) for t in url_walk.templates(urlconf)}
    return sorted(p for p in paths if not p.startswith(IdentityLifecycleMiddleware.OPEN))


def _operations() -> list[str]:
    graphql = schema.graphql_schema
    queries = [f"query {{ {name} }}" for name in graphql.query_type.fields]
    mutations = [f"mutation {{ {name} }}" for name in graphql.mutation_type.fields]
    return queries + mutations


def _written() -> tuple[int, int, int]:
    return (ApiToken.objects.count(), AuditEvent.objects.count(), RoleGrant.objects.count())


def test_a_suspended_agency_is_refused_every_page_and_operation_on_every_host(federation):
    pages, operations = _pages(), _operations()
    assert len(pages) > 100 and len(operations) > 100  # the matrix covers something
    tokens = {n: issue_api_token(federation.user(n))[0] for n in ("alpha-admin", "alpha-staff")}
    actions.suspend_agency(None, federation.alpha.pk, "Lifecycle matrix")
    connection.set_schema_to_public()
    before = _written()
    let_through = []
    # each request kind once per host: pages as admin by GET and as staff by POST, operations
    # by the admin's token and the staff's session (the refusal comes before any view)
    for host in ("localhost", "alpha.localhost"):
        clients = {}
        for name in tokens:
            clients[name] = Client(HTTP_HOST=host)
            clients[name].force_login(federation.user(name))
        for path in pages:
            for name, method in (("alpha-admin", "get"), ("alpha-staff", "post")):
                status = getattr(clients[name], method)(path).status_code
                if status != 403:
                    let_through.append((name, host, method, path, status))
        api = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {tokens['alpha-admin']}")
        for document in operations:
            for client in (api, clients["alpha-staff"]):
                reply = client.post("/graphql/", {"query": document}, "application/json")
                code = reply.json()["errors"][0]["extensions"]["code"]
                if reply.status_code != 403 or code != "AGENCY_SUSPENDED":
                    let_through.append((host, "graphql", document, reply.status_code))
    assert let_through == []
    assert _written() == before


def test_the_matrix_is_generated_from_the_url_configuration():
    pages = _pages()
    # pages of both hosts, with their ids filled, and downloads
    assert "/costs/" in pages and "/admin/" in pages
    assert any(re.fullmatch(r"/.*/1/.*", p) for p in pages)
    assert any("export" in p or "download" in p for p in pages)
