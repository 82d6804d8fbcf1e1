"""Seats held and assigned per agency and month: the licence cost driver of the monthly split.

One INSERT ... SELECT over public writes a row per (pool, agency) from the AgencyQuota
counters, whatever the number of agencies. Rerunning for the same month updates the rows in
place (ON CONFLICT on the unique month, pool and agency): idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from services.licences.models import AgencyQuota, SeatSnapshot
from tenants.models import Agency, AgencyKind, AgencyState


def first_of_month(month: dt.date | str) -> dt.date:
    """`month` as its first day: a date, or text YYYY-MM or YYYY-MM-DD."""
    if isinstance(month, str):
        month = dt.date.fromisoformat(month if len(month) > 7 else f"{month}-01")
    return month.replace(day=1)


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def snapshot_seats(month: dt.date | str) -> int:
    """Record the seats of every member agency (not offboarded) in every pool for `month`.
    Returns the number of rows written (inserted or updated)."""
    month = first_of_month(month)
    snapshot, quota, agency = (
        SeatSnapshot._meta.db_table,
        AgencyQuota._meta.db_table,
        Agency._meta.db_table,
    )
    sql = f"""
        INSERT INTO {snapshot} (month, pool_id, agency_id, held_seats, assigned_seats)
        SELECT %s, q.pool_id, q.agency_id, q.held_seats, q.assigned_seats
        FROM {quota} q JOIN {agency} a ON a.id = q.agency_id
        WHERE a.kind = %s AND a.state <> %s
        ON CONFLICT (month, pool_id, agency_id) DO UPDATE
        SET held_seats = EXCLUDED.held_seats, assigned_seats = EXCLUDED.assigned_seats
    """  # noqa: S608 (table names from the models, values as parameters)
    with schema_context(get_public_schema_name()), connection.cursor() as cursor:
        cursor.execute(sql, [month, AgencyKind.AGENCY.value, AgencyState.OFFBOARDED.value])
        return cursor.rowcount
