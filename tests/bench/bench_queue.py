"""The central service-desk queue at a small and a large federation (issue 5).

Run: `make bench BENCH_ARGS=queue` or `python -m tests.bench queue`.
Sizes and load come from the environment: SAMNAV_BENCH_QUEUE_SIZES (default 21,1000),
SAMNAV_BENCH_QUEUE_TICKETS (open tickets per agency, default 20), SAMNAV_BENCH_QUEUE_REQUESTS
(timed requests per query, default 200, after SAMNAV_BENCH_QUEUE_WARMUP, default 20) and
SAMNAV_BENCH_QUEUE_ACTION_AGENCIES (default 50, see below).

The queue is a plain indexed query on the cross-agency index (design.md), not a loop over
schemas, so its time should not grow with the number of agencies: the aim is
p95(largest) <= 1.25 x p95(smallest).

Measured in one run, on a dedicated database:
1. the federation is topped up to each size by template clone
   (`services.agencies.actions.onboard_agency`), and every agency gets one person and
   `tickets` open tickets (impact and urgency cycling through the priority matrix; the
   default OLA on office hours, so the tickets have due times).
   The first `action_agencies` agencies get theirs through the real write path
   (`services.support.actions.open_ticket`, about 12 ms a ticket); the others get a bulk copy
   of the last such agency's tickets: the same Ticket, message and clock-event rows in their
   own schema and the same index rows (state, priority, due and warning times) in public;
2. at each size, GraphQL requests through the real /graphql/ with an API token: the central
   queue on the central host as a service-desk agent (unfiltered, by agency, by priority), and
   an agency's own ticket list on its host as its admin; p50/p95 over `requests` requests
   after `warmup`, and the SQL queries per request (which must not depend on the size);
3. the queue's two SQL statements (page and count) run directly, to tell the database's share
   from Django's and GraphQL's; at the largest size, their EXPLAIN ANALYZE plans.
"""

from __future__ import annotations

import json
import os
import re
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from demo.data.calendars import OFFICE, load_calendars
from demo.data.catalogue import load_catalogue
from services.agencies.tokens import issue_api_token
from services.catalogue.models import Agreement
from services.crossindex.models import IndexEntry, IndexKind
from services.people.models import Person
from services.support.actions import NewTicket, open_ticket
from services.support.models import OPEN_TICKET_STATES, ClockEvent, Ticket, TicketMessage
from tenants.models import Agency, Domain, RoleGrant, User
from tenants.roles import Role
from tests.bench import bench_onboarding, harness

DEFAULT_SIZES = (21, 1000)
DEFAULT_TICKETS = 20
DEFAULT_REQUESTS = 200
DEFAULT_WARMUP = 20
DEFAULT_ACTION_AGENCIES = 50
SQL_RUNS = 50
PAGE = 50
AIM_GROWTH = 1.25
DESK_USERNAME = "bench-desk"
REQUESTER = "Benchmark requester"

QUEUE_FIELDS = (
    "totalCount edges { node { ticketId state priority dueAt group agency { slug name } } }"
)
QUEUE = "{ serviceDeskQueue(first: 50) { " + QUEUE_FIELDS + " } }"
QUEUE_BY_AGENCY = (
    "query($agency: String) { serviceDeskQueue(first: 50, agency: $agency) { "
    + QUEUE_FIELDS
    + " } }"
)
QUEUE_BY_PRIORITY = (
    "query($priority: Int) { serviceDeskQueue(first: 50, priority: $priority) { "
    + QUEUE_FIELDS
    + " } }"
)
TICKETS = "{ tickets(first: 50) { edges { node { subject state priority } } } }"
VARIANTS = ("queue", "queue_by_agency", "queue_by_priority", "agency_tickets")
LABELS = {
    "queue": "central queue",
    "queue_by_agency": "central queue, agency=<one>",
    "queue_by_priority": "central queue, priority=1",
    "agency_tickets": "agency's tickets (its host)",
}


def _env_sizes() -> tuple[int, ...]:
    text = os.environ.get("SAMNAV_BENCH_QUEUE_SIZES", "")
    return tuple(int(p) for p in text.split(",") if p.strip()) or DEFAULT_SIZES


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# --- Seeding ----------------------------------------------------------------------------------
def prepare_catalogue() -> None:
    """The demo calendars and catalogue; agreements without a calendar count office hours, so
    tickets under the default OLA get real due times."""
    calendars = load_calendars()
    load_catalogue()
    Agreement.objects.filter(calendar__isnull=True).update(calendar=calendars[OFFICE])


def ticket_data(i: int) -> NewTicket:
    """Ticket i: impact and urgency cycle through the matrix (priorities 1 to 4)."""
    return NewTicket(
        subject=f"Benchmark ticket {i + 1}",
        description="Opened by the queue benchmark.",
        impact=1 + i % 3,
        urgency=1 + (i // 3) % 3,
    )


def open_through_action(agency: Agency, tickets: int) -> None:
    with tenant_context(agency):
        person = Person.objects.create(name=REQUESTER, email="requester@bench.example")
    for i in range(tickets):
        open_ticket(agency, person, ticket_data(i), channel="web")


def _fields(obj, **overrides) -> dict:
    values = {
        f.attname: getattr(obj, f.attname)
        for f in type(obj)._meta.concrete_fields
        if not f.primary_key
    }
    values.update(overrides)
    return values


class Prototype:
    """One agency's tickets made by the action, with their messages, clock events and index
    rows, to copy into other agencies."""

    def __init__(self, agency: Agency):
        with tenant_context(agency):
            self.tickets = list(Ticket.objects.order_by("pk"))
            self.messages = list(TicketMessage.objects.order_by("pk"))
            self.events = list(ClockEvent.objects.order_by("pk"))
        self.entries = {
            e.local_id: e for e in IndexEntry.objects.filter(agency=agency, kind=IndexKind.TICKET)
        }
        if len(self.entries) != len(self.tickets):
            raise AssertionError(f"{agency.slug}: index rows do not match its tickets")

    def copy_into(self, agency: Agency) -> None:
        with tenant_context(agency), transaction.atomic():
            person = Person.objects.create(name=REQUESTER, email="requester@bench.example")
            made = Ticket.objects.bulk_create(
                Ticket(**_fields(t, requester_id=person.pk)) for t in self.tickets
            )
            new_id = {old.pk: new.pk for old, new in zip(self.tickets, made, strict=True)}
            TicketMessage.objects.bulk_create(
                TicketMessage(
                    **_fields(m, ticket_id=new_id[m.ticket_id], author_person_id=person.pk)
                )
                for m in self.messages
            )
            ClockEvent.objects.bulk_create(
                ClockEvent(**_fields(e, ticket_id=new_id[e.ticket_id])) for e in self.events
            )
            IndexEntry.objects.bulk_create(
                IndexEntry(**_fields(e, agency_id=agency.pk, local_id=new_id[e.local_id]))
                for e in self.entries.values()
            )


def seed(tickets: int, action_agencies: int) -> dict:
    """Give every member agency without tickets its person and open tickets. Returns how
    many agencies got them through the action and by bulk copy, and the seconds taken."""
    seeded = set(
        IndexEntry.objects.filter(kind=IndexKind.TICKET).values_list("agency_id", flat=True)
    )
    by_action = bulk = 0
    prototype = None
    started = time.perf_counter()
    for agency in Agency.objects.members().order_by("id"):
        if agency.pk in seeded:
            continue
        if len(seeded) < action_agencies:
            open_through_action(agency, tickets)
            by_action += 1
        else:
            if prototype is None:
                last = max(seeded)
                prototype = Prototype(Agency.objects.get(pk=last))
            prototype.copy_into(agency)
            bulk += 1
        seeded.add(agency.pk)
    connection.set_schema_to_public()
    elapsed = time.perf_counter() - started
    _analyze()
    return {"by_action": by_action, "bulk": bulk, "seed_s": elapsed}


def _analyze() -> None:
    """Fresh statistics and visibility map, as autovacuum would leave them (plain ANALYZE
    inside a transaction, where VACUUM cannot run: the smoke test)."""
    table = IndexEntry._meta.db_table
    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f'{verb} "{table}"')
        cursor.execute(f'ANALYZE "{Agency._meta.db_table}"')


# --- Callers ----------------------------------------------------------------------------------
def desk_token() -> str:
    user, created = User.objects.get_or_create(username=DESK_USERNAME)
    if created:
        RoleGrant.objects.create(user=user, role=Role.SERVICE_DESK_AGENT)
    return issue_api_token(user, "queue benchmark")[0]


def admin_token(agency: Agency) -> str:
    user, created = User.objects.get_or_create(username=f"bench-admin-{agency.slug}")
    if created:
        RoleGrant.objects.create(user=user, role=Role.AGENCY_ADMIN, agency=agency)
    return issue_api_token(user, "queue benchmark")[0]


def host(agency: Agency | None) -> str:
    if agency is None:
        return settings.SAMNAV_CENTRAL_HOST
    return Domain.objects.get(tenant=agency, is_primary=True).domain


class Caller:
    """One client on one host with one token, posting one query."""

    def __init__(self, agency: Agency | None, token: str, query: str, variables: dict):
        self.client = Client(HTTP_HOST=host(agency))
        self.token = token
        self.body = json.dumps({"query": query, "variables": variables})

    def post(self):
        return self.client.post(
            "/graphql/",
            self.body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
        )

    def checked(self) -> dict:
        response = self.post()
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise AssertionError(f"GraphQL failed: {response.status_code} {body}")
        return body["data"]


def callers(agency: Agency) -> dict[str, Caller]:
    desk = desk_token()
    return {
        "queue": Caller(None, desk, QUEUE, {}),
        "queue_by_agency": Caller(None, desk, QUEUE_BY_AGENCY, {"agency": agency.slug}),
        "queue_by_priority": Caller(None, desk, QUEUE_BY_PRIORITY, {"priority": 1}),
        "agency_tickets": Caller(agency, admin_token(agency), TICKETS, {}),
    }


def expected_rows(agency: Agency) -> dict[str, int]:
    """Rows each query matches, straight from the tables."""
    queue = IndexEntry.objects.filter(kind=IndexKind.TICKET, state__in=OPEN_TICKET_STATES)
    with tenant_context(agency):
        own = Ticket.objects.count()
    connection.set_schema_to_public()
    return {
        "queue": queue.count(),
        "queue_by_agency": queue.filter(agency=agency).count(),
        "queue_by_priority": queue.filter(priority=1).count(),
        "agency_tickets": own,
    }


def _check(variant: str, data: dict, rows: int) -> None:
    if variant == "agency_tickets":
        got, edges = rows, data["tickets"]["edges"]
    else:
        got, edges = data["serviceDeskQueue"]["totalCount"], data["serviceDeskQueue"]["edges"]
    if got != rows or len(edges) != min(PAGE, rows):
        raise AssertionError(f"{variant}: {got} rows, {len(edges)} edges; expected {rows}")


def time_requests(caller: Caller, requests: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        caller.post()
    seconds = []
    for _ in range(requests):
        start = time.perf_counter()
        response = caller.post()
        seconds.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise AssertionError(f"status {response.status_code}")
    return seconds


def count_queries(caller: Caller) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        caller.checked()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def queue_statements(sqls: list[str]) -> dict[str, str]:
    """The queue's page (SELECT ... LIMIT) and count statements among a request's queries."""
    table = f'"{IndexEntry._meta.db_table}"'
    mine = [s for s in sqls if table in s and s.lstrip().upper().startswith("SELECT")]
    page = [s for s in mine if "COUNT(" not in s.upper()]
    count = [s for s in mine if "COUNT(" in s.upper()]
    if len(page) != 1 or len(count) != 1:
        raise AssertionError(f"expected one page and one count statement, got {mine}")
    return {"page": page[0], "count": count[0]}


def time_sql(sql: str, runs: int = SQL_RUNS) -> dict:
    seconds = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            seconds.append(time.perf_counter() - start)
    return {
        "p50_ms": harness.median(seconds) * 1000,
        "p95_ms": harness.percentile(seconds, 95) * 1000,
    }


def explain(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
    plan = "\n".join(lines)
    indexes = sorted(set(re.findall(r"using (\w+)", plan, flags=re.IGNORECASE)))
    return {
        "plan": lines,
        "indexes": indexes,
        "uses_index_queue": "index_queue" in indexes,
        "sorts": "Sort" in plan,
    }


def measure(agency: Agency, requests: int, warmup: int) -> dict:
    """Every query at the current size: p50/p95 ms, queries per request, rows; then the
    queue's SQL run directly."""
    rows = expected_rows(agency)
    out: dict = {"variants": {}}
    statements = None
    for variant, caller in callers(agency).items():
        _check(variant, caller.checked(), rows[variant])
        seconds = time_requests(caller, requests, warmup)
        queries, sqls = count_queries(caller)
        connection.set_schema_to_public()  # a request on an agency host leaves its schema set
        if variant == "queue":
            statements = queue_statements(sqls)
        out["variants"][variant] = {
            "p50_ms": harness.median(seconds) * 1000,
            "p95_ms": harness.percentile(seconds, 95) * 1000,
            "queries": queries,
            "rows": rows[variant],
        }
    out["statements"] = statements
    out["sql"] = {name: time_sql(sql) for name, sql in statements.items()}
    return out


# --- The benchmark ----------------------------------------------------------------------------
def queue(
    sizes=DEFAULT_SIZES,
    tickets: int = DEFAULT_TICKETS,
    requests: int = DEFAULT_REQUESTS,
    warmup: int = DEFAULT_WARMUP,
    action_agencies: int = DEFAULT_ACTION_AGENCIES,
) -> dict:
    if action_agencies < 1:
        raise ValueError("at least one agency must get its tickets through the action")
    prepare_catalogue()
    figures: dict = {
        "tickets_per_agency": tickets,
        "requests": requests,
        "warmup": warmup,
        "action_agencies": action_agencies,
        "sizes": {},
    }
    agency = None
    for size in sorted(sizes):
        onboard_s = sum(bench_onboarding.resize(size))
        agency = agency or Agency.objects.members().order_by("id").first()
        row = {"agencies": size, "onboard_s": onboard_s, **seed(tickets, action_agencies)}
        row["open_tickets"] = IndexEntry.objects.filter(
            kind=IndexKind.TICKET, state__in=OPEN_TICKET_STATES
        ).count()
        row.update(measure(agency, requests, warmup))
        figures["sizes"][size] = row
    figures["agency"] = agency.slug
    ordered = sorted(figures["sizes"])
    small, large = figures["sizes"][ordered[0]], figures["sizes"][ordered[-1]]
    figures["growth"] = {"from": ordered[0], "to": ordered[-1]}
    figures["aim"] = AIM_GROWTH
    figures["aim_met"] = {}
    for variant in VARIANTS:
        growth = harness.ratio(
            large["variants"][variant]["p95_ms"], small["variants"][variant]["p95_ms"]
        )
        figures["growth"][variant] = growth
        figures["aim_met"][variant] = growth <= AIM_GROWTH
    for name in ("page", "count"):
        figures["growth"][f"sql_{name}"] = harness.ratio(
            large["sql"][name]["p95_ms"], small["sql"][name]["p95_ms"]
        )
    figures["queries_same"] = all(
        small["variants"][v]["queries"] == large["variants"][v]["queries"] for v in VARIANTS
    )
    figures["explain"] = {name: explain(sql) for name, sql in large["statements"].items()}
    return figures


# --- Printing and the entry point -------------------------------------------------------------
def report(figures: dict) -> str:
    sizes = sorted(figures["sizes"])
    out = [
        harness.table(
            f"Seeding ({figures['tickets_per_agency']} open tickets per agency; the first "
            f"{figures['action_agencies']} agencies through open_ticket, the rest bulk copies)",
            ["agencies", "onboard s", "by action", "bulk", "seed s", "open tickets"],
            [
                [size, r["onboard_s"], r["by_action"], r["bulk"], r["seed_s"], r["open_tickets"]]
                for size, r in ((s, figures["sizes"][s]) for s in sizes)
            ],
        ),
        "",
    ]
    rows = []
    for variant in VARIANTS:
        for size in sizes:
            v = figures["sizes"][size]["variants"][variant]
            rows.append([LABELS[variant], size, v["rows"], v["queries"], v["p50_ms"], v["p95_ms"]])
    out.append(
        harness.table(
            f"GraphQL requests ({figures['requests']} per query after {figures['warmup']} "
            f"warm-up; agency = {figures['agency']})",
            ["query", "agencies", "rows", "queries", "p50 ms", "p95 ms"],
            rows,
        )
    )
    g = figures["growth"]
    for variant in VARIANTS:
        met = "met" if figures["aim_met"][variant] else "NOT met"
        out.append(
            f"{LABELS[variant]}: p95({g['to']}) / p95({g['from']}) = {g[variant]:.3f} "
            f"(aim <= {figures['aim']}: {met})"
        )
    same = "same" if figures["queries_same"] else "DIFFERENT"
    out.append(f"SQL queries per request at {g['from']} and {g['to']} agencies: {same}")
    out.append("")
    out.append(
        harness.table(
            f"The queue's SQL run directly ({SQL_RUNS} runs each)",
            ["statement", "agencies", "p50 ms", "p95 ms"],
            [
                [name, size, figures["sizes"][size]["sql"][name]["p50_ms"]]
                + [figures["sizes"][size]["sql"][name]["p95_ms"]]
                for name in ("page", "count")
                for size in sizes
            ],
        )
    )
    out.append(
        f"page statement: p95 x{g['sql_page']:.2f}; count statement: p95 x{g['sql_count']:.2f}"
    )
    for name in ("page", "count"):
        e = figures["explain"][name]
        out.append("")
        out.append(
            f"EXPLAIN ANALYZE of the queue's {name} statement at {g['to']} agencies "
            f"(indexes: {', '.join(e['indexes']) or 'none'}; index_queue "
            f"{'used' if e['uses_index_queue'] else 'NOT used'}; "
            f"{'sorts' if e['sorts'] else 'no sort'}):"
        )
        out += [f"  {line}" for line in e["plan"]]
    return "\n".join(out)


def run(options) -> dict:
    figures = queue(
        sizes=_env_sizes(),
        tickets=_env_int("SAMNAV_BENCH_QUEUE_TICKETS", DEFAULT_TICKETS),
        requests=_env_int("SAMNAV_BENCH_QUEUE_REQUESTS", DEFAULT_REQUESTS),
        warmup=_env_int("SAMNAV_BENCH_QUEUE_WARMUP", DEFAULT_WARMUP),
        action_agencies=_env_int("SAMNAV_BENCH_QUEUE_ACTION_AGENCIES", DEFAULT_ACTION_AGENCIES),
    )
    print(report(figures), flush=True)
    return figures
