"""The GraphQL-against-JSON benchmark still runs (tiny sizes), both serve the same rows, and
the ticket list loads messages and clock events only when the query asks for them. Times are
not checked here (speed is measured only by `python -m tests.bench graphql`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.bench import bench_graphql
from tests.graphql import gql

pytestmark = pytest.mark.django_db

TIMING_KEYS = {"rps", "p50_ms", "p95_ms", "queries"}
LIST = "{ tickets(first: 50) { edges { node { subject %s } } } }"


def test_graphql_benchmark_reports_both_lists_served_both_ways(federation):
    # given the test federation
    # when the benchmark runs with two requests per endpoint
    figures = bench_graphql.graphql_vs_json(requests=2, warmup=0)
    # then both lists are reported, GraphQL and JSON serving the same rows
    assert figures["agency"] == "alpha"
    assert set(figures["lists"]) == {"catalogue", "tickets"}
    tickets = figures["lists"]["tickets"]
    assert (tickets["total"], tickets["rows"]) == (60, 50)
    for row in figures["lists"].values():
        assert set(row["graphql"]) == TIMING_KEYS
        assert set(row["json"]) == TIMING_KEYS
        assert row["ratio"] > 0
    assert "GraphQL / JSON throughput" in bench_graphql.report(figures)


def test_the_ticket_list_prefetches_messages_only_when_asked(federation):
    # given alpha with tickets (each has its opening message)
    bench_graphql.prepare()
    connection.set_schema_to_public()

    def run(fields: str):
        with CaptureQueriesContext(connection) as ctx:
            response = gql(
                LIST % fields, agency=federation.alpha, user=federation.user("alpha-admin")
            )
        connection.set_schema_to_public()
        assert response.errors == []
        queries = [q for q in ctx.captured_queries if not q["sql"].startswith("SET search_path")]
        return len(queries), response.data["tickets"]["edges"]

    # when the list is read without messages, then with them, then with clocks
    plain, edges = run("")
    with_messages, message_edges = run("messages { body }")
    with_clocks, _ = run("clockEvents { kind }")
    # then messages cost two queries more (messages and attachments), clock events one,
    # whatever the number of tickets, and the messages are there when asked for
    assert len(edges) == 50
    assert with_messages == plain + 2
    assert with_clocks == plain + 1
    assert all(len(e["node"]["messages"]) >= 1 for e in message_edges)
