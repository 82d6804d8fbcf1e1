"""The isolation matrix of the portal and its downloads, generated from the URL configurations.

Agency B (beta) gets rows of every kind (as in the GraphQL matrix); B's ids are harvested
through the API. Then agency A's admin (alpha) requests every page and download that takes an
id, on A's host and on the central host, with each of B's ids (text parameters get "beta"),
by GET and by POST. No answer is a server error or shows anything of B's, each answers as a
missing id does (B's ids tried are no id of A's in any table), except the pages of rows every
agency shares (`SHARED_PAGES`, with the reason), and nothing in public, A's or B's schema
changes.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from graphql import GraphQLNonNull
from graphql_relay import from_global_id

from tests.graphql import gql
from tests.security import schema_walk as walk
from tests.security import url_walk
from tests.security.beta_data import populate_beta
from tests.security.test_isolation_matrix import _b_only, _harvest

pytestmark = pytest.mark.django_db

# Texts only B's rows hold (tests/security/beta_data.py).
B_TEXTS = (
    "Beta's project",
    "Beta's milestone",
    "Beta's own article",
    "Beta's bounced mail",
    "beta-staff@beta.example",
    "Person beta-staff",
    "Länsstyrelsen Beta",
)
MAX_IDS = 20  # B's local ids tried in each page (the lowest: they exist in most tables)
POSTED_IDS = 3
MISSING = 987654321  # an id no table has

# Pages whose id names a row every member agency may open (the GraphQL matrix's SHARED).
SHARED_PAGES = {
    "/costs/<int:period_id>/": "a month: every agency's admin sees its state (its own figures)",
    "/costs/<int:period_id>/accept/": "a month: accepting answers for the caller's own statement",
}


def _local_ids(global_ids: set[str]) -> set[int]:
    """The local primary keys behind global ids ("Type:pk" or "AgencyType:agency.pk")."""
    found = set()
    for value in global_ids:
        _type, ref = from_global_id(value)
        tail = ref.rpartition(".")[2]
        if tail.isdigit():
            found.add(int(tail))
    return found


def _alpha_ids(fed) -> set[int]:
    """Local ids of every row alpha's own people see through the API (any table)."""
    seen: set[str] = set()
    for name, field in walk.query_fields().items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        for user in ("alpha-admin", "alpha-staff"):
            document, variables = walk.operation("query", name, field, {})
            response = gql(document, variables, agency=fed.alpha, user=fed.user(user))
            seen |= walk.global_ids_in(json.dumps(response.body))
    own = set()  # and alpha's rows in shared tables, some of them reached only with arguments
    for model in apps.get_models():
        names = {f.name for f in model._meta.fields}
        app = model._meta.app_config.name
        if "agency" in names and app in settings.SHARED_APPS and app not in settings.TENANT_APPS:
            own |= set(model.objects.filter(agency=fed.alpha).values_list("pk", flat=True))
    return _local_ids(seen) | own


def _answer(client, method: str, path: str) -> tuple[int, bytes]:
    response = getattr(client, method)(path)
    body = b"".join(getattr(response, "streaming_content", [response.content]))
    return response.status_code, body


def test_agency_a_opens_nothing_of_agency_b_in_the_portal(federation):
    fed = federation
    populate_beta(fed)
    # B's ids that are no id of alpha's in any table: for them, any answer but "missing" leaks
    ids = sorted(_local_ids(_b_only(_harvest(fed))) - _alpha_ids(fed))[:MAX_IDS]
    assert len(ids) >= 5  # the matrix tries something
    pages = {
        "alpha.localhost": url_walk.templates(settings.ROOT_URLCONF),
        "localhost": url_walk.templates(settings.PUBLIC_SCHEMA_URLCONF),
    }
    schemas = ["public", fed.alpha.schema_name, fed.beta.schema_name]
    before = walk.fingerprint(schemas)
    problems = []
    for host, templates in pages.items():
        client = Client(HTTP_HOST=host)
        client.force_login(fed.user("alpha-admin"))
        for template in filter(url_walk.takes_ids, templates):
            for n, number in enumerate(ids):
                path = url_walk.fill(template, number, "beta")
                for method in ("get", "post") if n < POSTED_IDS else ("get",):
                    status, body = _answer(client, method, path)
                    shown = [t for t in B_TEXTS if t.encode() in body]
                    missing, _ = _answer(client, method, url_walk.fill(template, MISSING, "beta"))
                    if status >= 500 or shown:
                        problems.append((host, method, path, status, shown))
                    elif status != missing and template not in SHARED_PAGES:
                        problems.append((host, method, path, status, f"missing id: {missing}"))
    assert problems == []
    assert walk.changed(before, walk.fingerprint(schemas)) == []


def test_the_portal_matrix_reaches_the_pages_that_take_ids():
    agency = [t for t in url_walk.templates(settings.ROOT_URLCONF) if url_walk.takes_ids(t)]
    central = [
        t for t in url_walk.templates(settings.PUBLIC_SCHEMA_URLCONF) if url_walk.takes_ids(t)
    ]
    # statements, disputes and exports on the agency's host; queues and boards centrally
    assert any(t.startswith("/costs/") for t in agency)
    assert any(t.startswith("/ordering/") for t in central)
    assert len(agency) >= 10 and len(central) >= 10
    # and the shared pages named above still exist
    assert set(SHARED_PAGES) <= set(agency) | set(central)
