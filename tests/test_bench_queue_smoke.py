"""The queue benchmark still runs: tiny sizes, figures with the expected keys. Times are not
checked here (speed is measured only by `python -m tests.bench queue`)."""

import pytest
from django_tenants.utils import schema_context

from services.crossindex.models import IndexEntry, IndexKind
from services.support.models import ClockEvent, Ticket, TicketMessage
from tenants.models import Agency
from tests.bench import bench_queue

pytestmark = pytest.mark.django_db

TIMING_KEYS = {"p50_ms", "p95_ms", "queries", "rows"}
SQL_KEYS = {"p50_ms", "p95_ms"}


def test_queue_benchmark_reports_each_query_at_each_size(federation):
    # given the test federation (alpha and beta)
    # when the queue is timed at 2 and 3 agencies with 3 tickets each, alpha and beta getting
    # theirs through open_ticket and the third agency a bulk copy
    figures = bench_queue.queue(sizes=(3, 2), tickets=3, requests=2, warmup=1, action_agencies=2)
    # then every query is reported at both sizes, with its rows and queries per request
    assert set(figures) == {
        "tickets_per_agency",
        "requests",
        "warmup",
        "action_agencies",
        "sizes",
        "agency",
        "growth",
        "aim",
        "aim_met",
        "queries_same",
        "explain",
    }
    assert sorted(figures["sizes"]) == [2, 3]
    assert figures["agency"] == "alpha"
    assert figures["aim"] == 1.25
    small, large = figures["sizes"][2], figures["sizes"][3]
    assert (small["by_action"], small["bulk"], small["open_tickets"]) == (2, 0, 6)
    assert (large["by_action"], large["bulk"], large["open_tickets"]) == (0, 1, 9)
    for row in (small, large):
        assert set(row["variants"]) == set(bench_queue.VARIANTS)
        assert all(set(v) == TIMING_KEYS for v in row["variants"].values())
        assert set(row["sql"]) == {"page", "count"}
        assert all(set(v) == SQL_KEYS for v in row["sql"].values())
    assert [large["variants"][v]["rows"] for v in bench_queue.VARIANTS] == [9, 3, 3, 3]
    assert set(figures["growth"]) == {"from", "to", *bench_queue.VARIANTS, "sql_page", "sql_count"}
    assert set(figures["aim_met"]) == set(bench_queue.VARIANTS)
    assert isinstance(figures["queries_same"], bool)
    assert set(figures["explain"]) == {"page", "count"}
    assert set(figures["explain"]["page"]) == {"plan", "indexes", "uses_index_queue", "sorts"}
    # and the report prints the tables and the verdicts
    text = bench_queue.report(figures)
    assert "central queue: p95(3) / p95(2) = " in text
    assert "EXPLAIN ANALYZE of the queue's page statement at 3 agencies" in text


def test_a_bulk_copy_matches_what_the_action_wrote(federation):
    # given alpha's tickets opened through the action
    bench_queue.prepare_catalogue()
    bench_queue.open_through_action(federation.alpha, 3)
    prototype = bench_queue.Prototype(federation.alpha)
    # when they are copied into beta
    prototype.copy_into(federation.beta)
    # then beta has the same tickets, messages and clock events in its own schema
    counts = {}
    for agency in (federation.alpha, federation.beta):
        with schema_context(agency.schema_name):
            counts[agency.slug] = (
                list(Ticket.objects.order_by("pk").values_list("subject", "priority", "state")),
                TicketMessage.objects.count(),
                ClockEvent.objects.count(),
                set(Ticket.objects.values_list("pk", flat=True)),
            )
    alpha, beta = counts["alpha"], counts["beta"]
    assert beta[:3] == alpha[:3]
    assert [s for s, _p, _st in beta[0]] == [
        "Benchmark ticket 1",
        "Benchmark ticket 2",
        "Benchmark ticket 3",
    ]
    # and index rows for its own ticket ids, with the same state, priority and due times
    fields = ("state", "priority", "due_at", "warn_at", "escalation")

    def index(agency: Agency):
        return IndexEntry.objects.filter(agency=agency, kind=IndexKind.TICKET).order_by("local_id")

    assert set(index(federation.beta).values_list("local_id", flat=True)) == beta[3]
    assert list(index(federation.beta).values_list(*fields)) == list(
        index(federation.alpha).values_list(*fields)
    )
    assert all(due is not None for due in index(federation.beta).values_list("due_at", flat=True))
