"""The scale benchmark still runs: tiny sizes, figures with the expected keys, and the data
copy that fills new agencies keeps each schema and the cross-agency index consistent. Times
are not checked here (speed is measured only by `python -m tests.bench scale`)."""

import pytest
from django_tenants.utils import schema_context

from services.crossindex.models import IndexEntry, IndexKind
from services.support.models import ClockEvent, Ticket, TicketMessage
from tenants.models import Agency
from tests.bench import bench_queue, bench_scale

pytestmark = pytest.mark.django_db

VARIANT_KEYS = {"p50_ms", "p95_ms", "queries", "rows", "gc_ms", "gc_full"}


def test_scale_benchmark_reports_each_figure_at_each_size(federation):
    # given the test federation (alpha and beta)
    # when the benchmark grows it from 2 to 3 agencies, alpha's 5 tickets being the prototype
    figures = bench_scale.scale(
        sizes=(3, 2), requests=2, warmup=1, runs=1, demo=False, autovacuum_wait=0
    )
    # then both sizes are reported with migrate_schemas and every query
    assert sorted(figures["sizes"]) == [2, 3]
    assert (figures["agency"], figures["prototype"]) == ("alpha", "alpha")
    small, large = figures["sizes"][2], figures["sizes"][3]
    assert (small["onboarded"], large["onboarded"]) == (0, 1)
    assert large["rows_copied"] > 5
    for row in (small, large):
        assert row["migrate_s"] > 0
        assert set(row["variants"]) == set(bench_scale.VARIANTS)
        assert all(set(v) == VARIANT_KEYS for v in row["variants"].values())
        assert row["variants"]["agency_tickets"]["rows"] == 5
    # and the queue grew by the copy's five open tickets, with the same queries per request
    assert large["open_tickets"] == small["open_tickets"] + 5
    assert set(figures["growth"]) == {"from", "to", "migrate", *bench_scale.VARIANTS}
    assert set(figures["aim_met"]) == {"migrate", *bench_scale.VARIANTS}
    assert figures["queries_same"] is True
    text = bench_scale.report(figures)
    assert "migrate_schemas no-op s (median of 1)" in text
    assert "fulfilment queue (central) p95 ms" in text


def test_a_copied_agency_has_the_prototypes_rows_and_index_under_its_own_id(federation):
    # given alpha with three tickets opened through the action, and a fresh agency
    bench_queue.prepare_catalogue()
    bench_queue.open_through_action(federation.alpha, 3)
    prototype = bench_scale.Prototype(federation.alpha)
    fresh = bench_scale.bench_onboarding.onboard_next()
    # when alpha's rows are copied into it
    copied = prototype.copy_into(fresh)
    # then it has the same tickets, messages and clock events in its own schema
    counts = {}
    for agency in (federation.alpha, fresh):
        with schema_context(agency.schema_name):
            counts[agency.slug] = (
                list(Ticket.objects.order_by("pk").values_list("pk", "subject", "state")),
                TicketMessage.objects.count(),
                ClockEvent.objects.count(),
            )
    assert counts[fresh.slug] == counts["alpha"]
    assert copied >= 3 + 3  # at least the tickets and their index rows
    # and index rows under its own agency id, matching alpha's
    fields = ("kind", "local_id", "state", "priority", "due_at")

    def index(agency: Agency):
        return list(IndexEntry.objects.filter(agency=agency).order_by("pk").values_list(*fields))

    assert index(fresh) == index(federation.alpha)
    # and its sequences moved past the copied ids: a new ticket gets a fresh id
    bench_queue.open_through_action(fresh, 1)
    with schema_context(fresh.schema_name):
        assert Ticket.objects.count() == 4
    assert IndexEntry.objects.filter(agency=fresh, kind=IndexKind.TICKET).count() == 4
