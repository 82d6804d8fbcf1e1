"""GraphQL against a plain Django JSON view serving the same data, in the same run (issue 10).

Run: `make bench BENCH_ARGS=graphql` or `python -m tests.bench graphql`.
Load comes from the environment: SAMNAV_BENCH_GRAPHQL_REQUESTS (timed requests per endpoint,
default 300, after SAMNAV_BENCH_GRAPHQL_WARMUP, default 30).

Two lists, each served twice on an agency's host to its admin (signed in with a session, the
same middleware for both):
- the catalogue: the first 50 services by name with their suppliers and offerings (code, name,
  unit, the price valid today);
- a ticket list of 50: the agency's first 50 tickets with requester and service names.
once by /graphql/ and once by a plain Django view returning JSON, written here (not in the
product) and served through a URLconf this benchmark installs in front of the agency one. The
view makes the same queryset with the same prefetching and checks the same role.

Reported: requests per second (sequential, one client), p50/p95, the SQL queries per request
of each, and GraphQL's throughput as a share of the plain view's (aim >= 0.5).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Prefetch
from django.http import JsonResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django_tenants.utils import tenant_context
from graphql_relay import to_global_id

from services.catalogue import selectors
from services.catalogue.models import Service
from services.support.models import Ticket
from tenants import access
from tenants.models import Agency, RoleGrant, User
from tenants.roles import Role
from tests.bench import bench_onboarding, bench_queue, harness

DEFAULT_REQUESTS = 300
DEFAULT_WARMUP = 30
PAGE = 50
AIM = 0.5
TICKETS_NEEDED = 60
ADMIN_USERNAME = "bench-graphql-admin"

CATALOGUE_QUERY = """{ services(first: 50) { totalCount edges { node {
  id name category lifecycle suppliers { name }
  offerings { id code name unit currentPrice { monthlyOre oneOffOre } }
} } } }"""
TICKETS_QUERY = """{ tickets(first: 50) { totalCount edges { node {
  id subject state priority impact urgency createdAt
  requester { name } service { name }
} } } }"""


# --- The plain JSON views (benchmark only) ----------------------------------------------------
def _require_member(request, role: str | None = None) -> Agency:
    agency = request.tenant
    user = request.user
    allowed = user.is_authenticated and (
        access.has_agency_role(user, agency, role) if role else access.has_agency_role(user, agency)
    )
    if not allowed:
        raise PermissionDenied
    return agency


def catalogue_json(request):
    _require_member(request)
    services = Service.objects.prefetch_related(
        "suppliers", Prefetch("offerings", queryset=selectors.catalogue_offerings())
    ).order_by("name", "pk")
    today = dt.date.today()
    rows = []
    for service in services[:PAGE]:
        offerings = []
        for o in service.offerings.all():
            price = selectors.price_on(o, today)
            offerings.append(
                {
                    "id": to_global_id("Offering", o.pk),
                    "code": o.code,
                    "name": o.name,
                    "unit": o.unit,
                    "currentPrice": price
                    and {"monthlyOre": price.monthly_ore, "oneOffOre": price.one_off_ore},
                }
            )
        rows.append(
            {
                "id": to_global_id("Service", service.pk),
                "name": service.name,
                "category": service.category.upper(),
                "lifecycle": service.lifecycle.upper(),
                "suppliers": [{"name": s.name} for s in sorted(service.suppliers.all(), key=_name)],
                "offerings": offerings,
            }
        )
    return JsonResponse({"totalCount": services.count(), "services": rows})


def _name(obj) -> str:
    return obj.name


def tickets_json(request):
    _require_member(request, Role.AGENCY_ADMIN)
    tickets = Ticket.objects.select_related("requester", "service").order_by("pk")
    rows = [
        {
            "id": to_global_id("Ticket", t.pk),
            "subject": t.subject,
            "state": t.state.upper(),
            "priority": t.priority,
            "impact": t.impact,
            "urgency": t.urgency,
            "createdAt": t.created_at.isoformat(),
            "requester": {"name": t.requester.name},
            "service": t.service_id and {"name": t.service.name},
        }
        for t in tickets[:PAGE]
    ]
    return JsonResponse({"totalCount": tickets.count(), "tickets": rows})


def _urlpatterns():
    from routes import agency as urls_agency

    return [
        path("bench/catalogue.json", catalogue_json),
        path("bench/tickets.json", tickets_json),
        *urls_agency.urlpatterns,
    ]


urlpatterns = _urlpatterns()
handler403 = "services.agencies.views.denied"


# --- Seeding ----------------------------------------------------------------------------------
def prepare() -> Agency:
    """An agency with its admin and at least TICKETS_NEEDED tickets opened through the action."""
    bench_queue.prepare_catalogue()
    agency = Agency.objects.members().order_by("id").first()
    if agency is None:
        with harness.quiet():
            agency = bench_onboarding.onboard_next()
        connection.set_schema_to_public()
    with tenant_context(agency):
        have = Ticket.objects.count()
    connection.set_schema_to_public()
    if have < TICKETS_NEEDED:
        bench_queue.open_through_action(agency, TICKETS_NEEDED - have)
    connection.set_schema_to_public()
    return agency


def admin_client(agency: Agency) -> Client:
    user, created = User.objects.get_or_create(username=f"{ADMIN_USERNAME}-{agency.slug}")
    if created:
        RoleGrant.objects.create(user=user, role=Role.AGENCY_ADMIN, agency=agency)
    client = Client(HTTP_HOST=bench_queue.host(agency))
    client.force_login(user)
    return client


class Endpoint:
    def __init__(self, client: Client, url: str, query: str | None = None):
        self.client, self.url, self.query = client, url, query

    def get(self):
        if self.query is None:
            return self.client.get(self.url)
        return self.client.post(
            self.url, json.dumps({"query": self.query}), content_type="application/json"
        )

    def rows(self) -> tuple[int, int]:
        """(totalCount, rows on the page), checking the response."""
        response = self.get()
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise AssertionError(f"{self.url}: {response.status_code} {body}")
        if self.query is None:
            key = "services" if "catalogue" in self.url else "tickets"
            return body["totalCount"], len(body[key])
        data = next(iter(body["data"].values()))
        return data["totalCount"], len(data["edges"])


def endpoints(agency: Agency) -> dict[str, dict[str, Endpoint]]:
    client = admin_client(agency)
    return {
        "catalogue": {
            "graphql": Endpoint(client, "/graphql/", CATALOGUE_QUERY),
            "json": Endpoint(client, "/bench/catalogue.json"),
        },
        "tickets": {
            "graphql": Endpoint(client, "/graphql/", TICKETS_QUERY),
            "json": Endpoint(client, "/bench/tickets.json"),
        },
    }


def throughput(endpoint: Endpoint, requests: int, warmup: int) -> dict:
    for _ in range(warmup):
        endpoint.get()
    seconds = []
    started = time.perf_counter()
    for _ in range(requests):
        start = time.perf_counter()
        response = endpoint.get()
        seconds.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise AssertionError(f"{endpoint.url}: status {response.status_code}")
    total = time.perf_counter() - started
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        endpoint.get()
    connection.set_schema_to_public()
    return {
        "rps": requests / total,
        "p50_ms": harness.median(seconds) * 1000,
        "p95_ms": harness.percentile(seconds, 95) * 1000,
        "queries": len(ctx.captured_queries),
    }


def graphql_vs_json(requests: int = DEFAULT_REQUESTS, warmup: int = DEFAULT_WARMUP) -> dict:
    agency = prepare()
    figures: dict = {"requests": requests, "warmup": warmup, "agency": agency.slug, "lists": {}}
    with override_settings(ROOT_URLCONF=__name__):
        for name, pair in endpoints(agency).items():
            shapes = {kind: pair[kind].rows() for kind in ("graphql", "json")}
            connection.set_schema_to_public()
            if shapes["graphql"] != shapes["json"]:
                raise AssertionError(
                    f"{name}: GraphQL {shapes['graphql']} != JSON {shapes['json']}"
                )
            row = {"total": shapes["json"][0], "rows": shapes["json"][1]}
            for kind in ("graphql", "json"):
                row[kind] = throughput(pair[kind], requests, warmup)
            row["ratio"] = harness.ratio(row["graphql"]["rps"], row["json"]["rps"])
            row["aim_met"] = row["ratio"] >= AIM
            figures["lists"][name] = row
    figures["aim"] = AIM
    return figures


def report(figures: dict) -> str:
    rows = []
    for name, row in figures["lists"].items():
        for kind in ("graphql", "json"):
            f = row[kind]
            rows.append([name, kind, row["rows"], f["queries"], f["rps"], f["p50_ms"], f["p95_ms"]])
    out = [
        harness.table(
            f"GraphQL against a plain JSON view ({figures['requests']} sequential requests "
            f"after {figures['warmup']} warm-up; agency = {figures['agency']})",
            ["list", "served by", "rows", "queries", "req/s", "p50 ms", "p95 ms"],
            rows,
        )
    ]
    for name, row in figures["lists"].items():
        met = "met" if row["aim_met"] else "NOT met"
        out.append(f"{name}: GraphQL / JSON throughput = {row['ratio']:.3f} (aim >= {AIM}: {met})")
    return "\n".join(out)


def run(options) -> dict:
    figures = graphql_vs_json(
        requests=int(os.environ.get("SAMNAV_BENCH_GRAPHQL_REQUESTS", DEFAULT_REQUESTS)),
        warmup=int(os.environ.get("SAMNAV_BENCH_GRAPHQL_WARMUP", DEFAULT_WARMUP)),
    )
    print(report(figures), flush=True)
    return figures
