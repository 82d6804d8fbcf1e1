"""Seats per agency and month, the licence cost driver: one statement, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.licences.models import AgencyQuota, SeatSnapshot
from services.licences.snapshots import first_of_month, previous_month, snapshot_seats
from services.licences.tasks import snapshot_seats as snapshot_task
from tenants.models import Agency, AgencyState
from tests.licences.test_reconciliation import give_quota, make_pool

pytestmark = pytest.mark.django_db

NOVEMBER = dt.date(2026, 11, 1)


def _rows(month=NOVEMBER):
    return sorted(
        SeatSnapshot.objects.filter(month=month).values_list(
            "pool__product", "agency__slug", "held_seats", "assigned_seats"
        )
    )


def _agencies_without_schema(n):
    """Member agencies as rows only (no schema cloned): snapshots read public alone."""
    made = []
    for i in range(n):
        agency = Agency(
            name=f"Extra {i}",
            slug=f"extra{i}",
            schema_name=f"extra{i}",
            state=AgencyState.ACTIVE,
        )
        agency.auto_create_schema = False
        agency.save()
        made.append(agency)
    return made


def test_a_snapshot_records_every_agency_in_every_pool(federation):
    # given two pools with quotas of alpha and beta
    office, drawing = make_pool("Kontorspaket"), make_pool("Ritprogram")
    give_quota(office, federation.alpha, quota=5, held=4)
    AgencyQuota.objects.filter(pool=office, agency=federation.alpha).update(assigned_seats=3)
    give_quota(office, federation.beta, quota=3, held=3)
    give_quota(drawing, federation.alpha, quota=2, held=0)
    # when November is snapshotted (any day of the month names it)
    written = snapshot_seats(dt.date(2026, 11, 17))
    # then one row per pool and agency holds the counters
    assert written == 3
    assert _rows() == [
        ("Kontorspaket", "alpha", 4, 3),
        ("Kontorspaket", "beta", 3, 0),
        ("Ritprogram", "alpha", 0, 0),
    ]


def test_rerunning_a_month_keeps_one_row_each_with_the_current_values(federation):
    office = make_pool("Kontorspaket")
    give_quota(office, federation.alpha, quota=5, held=4)
    snapshot_seats("2026-11")
    # when it runs again unchanged, then the rows are the same
    snapshot_seats("2026-11")
    assert _rows() == [("Kontorspaket", "alpha", 4, 0)]
    # when the counters change and it runs again, then the same row is updated
    AgencyQuota.objects.filter(pool=office).update(held_seats=5, assigned_seats=2)
    assert snapshot_seats("2026-11-01") == 1
    assert _rows() == [("Kontorspaket", "alpha", 5, 2)]
    assert SeatSnapshot.objects.count() == 1
    # and another month is a row of its own
    snapshot_seats("2026-12")
    assert SeatSnapshot.objects.count() == 2


def test_offboarded_agencies_are_not_recorded(federation):
    office = make_pool("Kontorspaket")
    give_quota(office, federation.alpha, quota=5, held=4)
    (gone,) = _agencies_without_schema(1)
    give_quota(office, gone, quota=1, held=1)
    Agency.objects.filter(pk=gone.pk).update(state=AgencyState.OFFBOARDED)
    snapshot_seats(NOVEMBER)
    assert _rows() == [("Kontorspaket", "alpha", 4, 0)]


def test_a_snapshot_is_one_statement_whatever_the_number_of_agencies(federation):
    office = make_pool("Kontorspaket")
    give_quota(office, federation.alpha, quota=1, held=1)

    def statements(month):
        with CaptureQueriesContext(connection) as ctx:
            snapshot_seats(month)
        return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("SET ")]

    # given one agency with a quota: one statement
    few = statements("2026-10")
    # given 20 more agencies with quotas in two pools
    drawing = make_pool("Ritprogram")
    for agency in _agencies_without_schema(20):
        give_quota(office, agency, quota=1, held=1)
        give_quota(drawing, agency, quota=1, held=0)
    many = statements("2026-11")
    # then it is still one statement, which wrote every row
    assert len(few) == len(many) == 1
    assert many[0].lstrip().startswith("INSERT INTO")
    assert SeatSnapshot.objects.filter(month=NOVEMBER).count() == 41


def test_the_monthly_task_records_the_month_just_ended(federation):
    office = make_pool("Kontorspaket")
    give_quota(office, federation.alpha, quota=5, held=2)
    last_month = previous_month(timezone.localdate())
    # when the beat's task runs without a month (as on the 1st)
    assert snapshot_task.delay().get() == 1
    # then the previous month is recorded; with a month, that month
    assert _rows(last_month) == [("Kontorspaket", "alpha", 2, 0)]
    assert snapshot_task.delay("2025-03").get() == 1
    assert _rows(dt.date(2025, 3, 1)) == [("Kontorspaket", "alpha", 2, 0)]


def test_month_helpers():
    assert first_of_month("2026-02") == dt.date(2026, 2, 1)
    assert first_of_month(dt.date(2026, 2, 28)) == dt.date(2026, 2, 1)
    assert previous_month(dt.date(2026, 1, 1)) == dt.date(2025, 12, 1)
    assert previous_month(dt.date(2026, 3, 31)) == dt.date(2026, 2, 1)
