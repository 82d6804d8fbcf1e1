"""The allocation run: one pass over public data, in SQL.

For every pool of the period, the key version valid that month picks the agencies and their
values (even: 1 each; fixed: the weights; driver: the snapshot of the key's driver for the
pool's pool/service/project; direct: the subscription fees for the pool's service; a
correction: 1 for the corrected line's agency). Window functions then do the largest-remainder
split exactly as services/costs/split.py does:

    base      = div(amount * value, total)          (exact numeric integer division)
    remainder = mod(amount * value, total)          (same denominator within a pool)
    the pool's leftover öre go +1 each to the lines ranked by
    row_number() over (partition by pool order by remainder desc, agency_id asc)

and one statement writes the lines (insert the new, update the changed, leave the unchanged,
delete those no longer produced), in one transaction with the period row locked: a second run
gives identical lines (the checksum over them proves it) and an interrupted run leaves the
previous lines as they were.

Agencies taking part in a period are those with a headcount snapshot for it (the fan-out
writes one for every member agency). A pool with something to split but nothing to split it
by (no key version, zero total) fails the run with the pool's name: no öre are lost silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.costs.errors import CostErrorCode as Code
from services.costs.models import (
    AllocationLine,
    AllocationRun,
    CostPool,
    DriverSnapshot,
    KeyVersion,
    KeyWeight,
    Period,
    PeriodState,
    RunState,
)
from services.validation import field_error

SHARE_SCALE = 12


def _tables() -> dict[str, str]:
    return {
        "pool": CostPool._meta.db_table,
        "version": KeyVersion._meta.db_table,
        "excluded": KeyVersion.excluded.through._meta.db_table,
        "weight": KeyWeight._meta.db_table,
        "driver": DriverSnapshot._meta.db_table,
        "line": AllocationLine._meta.db_table,
    }


# The split as one SELECT: (pool, version, agency, service, value, share, amount). Parameters:
# period id (several times) and month.
SPLIT_SQL = """
WITH pv AS (
    SELECT p.id AS pool_id, p.amount_ore AS amount, p.service_id, p.corrects_id,
           v.id AS version_id, v.method, v.only_subscribers,
           CASE WHEN v.method = 'direct' THEN 'subscriptions' ELSE v.driver_kind END AS dkind,
           CASE COALESCE(NULLIF(v.driver_kind, ''), CASE WHEN v.method = 'direct'
                    THEN 'subscriptions' END)
               WHEN 'licence_seats' THEN COALESCE(p.licence_pool_id, 0)
               WHEN 'subscriptions' THEN COALESCE(p.service_id, 0)
               WHEN 'tickets' THEN COALESCE(p.service_id, 0)
               WHEN 'project_shares' THEN COALESCE(p.project_id, 0)
               ELSE 0 END AS dref
    FROM {pool} p
    LEFT JOIN LATERAL (
        SELECT * FROM {version} kv
        WHERE kv.key_id = p.key_id AND kv.valid_from <= %(month)s
        ORDER BY kv.valid_from DESC LIMIT 1
    ) v ON p.corrects_id IS NULL
    WHERE p.period_id = %(period)s
),
members AS (
    SELECT agency_id FROM {driver}
    WHERE period_id = %(period)s AND kind = 'headcount' AND ref_id = 0
),
raw AS (
    SELECT pv.pool_id, pv.amount, pv.service_id, pv.version_id, pv.only_subscribers,
           m.agency_id, 1::numeric AS value
    FROM pv CROSS JOIN members m WHERE pv.method = 'even'
    UNION ALL
    SELECT pv.pool_id, pv.amount, pv.service_id, pv.version_id, pv.only_subscribers,
           w.agency_id, w.weight
    FROM pv JOIN {weight} w ON w.version_id = pv.version_id
    JOIN members m ON m.agency_id = w.agency_id
    WHERE pv.method = 'fixed'
    UNION ALL
    SELECT pv.pool_id, pv.amount, pv.service_id, pv.version_id, pv.only_subscribers,
           d.agency_id, d.value
    FROM pv JOIN {driver} d
      ON d.period_id = %(period)s AND d.kind = pv.dkind AND d.ref_id = pv.dref
    WHERE pv.method IN ('driver', 'direct')
    UNION ALL
    SELECT pv.pool_id, pv.amount, pv.service_id, pv.version_id, pv.only_subscribers,
           l.agency_id, 1::numeric
    FROM pv JOIN {line} l ON l.id = pv.corrects_id
),
excl AS MATERIALIZED (  -- small: a hash anti-join, not a probe per line
    SELECT x.keyversion_id, x.agency_id FROM {excluded} x
    WHERE x.keyversion_id IN (SELECT version_id FROM pv)
),
eligible AS (
    SELECT r.pool_id, r.amount, r.service_id, r.version_id, r.agency_id, r.value FROM raw r
    LEFT JOIN excl x ON x.keyversion_id = r.version_id AND x.agency_id = r.agency_id
    WHERE x.agency_id IS NULL
    AND (r.only_subscribers IS NOT TRUE OR EXISTS (
        SELECT 1 FROM {driver} s
        WHERE s.period_id = %(period)s AND s.kind = 'subscriptions'
          AND s.ref_id = COALESCE(r.service_id, 0) AND s.agency_id = r.agency_id AND s.value > 0
    ))
),
totals AS (
    SELECT e.*, SUM(e.value) OVER (PARTITION BY e.pool_id) AS total FROM eligible e
),
based AS (
    SELECT t.*, div(t.amount * t.value, t.total) AS base,
           mod(t.amount * t.value, t.total) AS remainder
    FROM totals t WHERE t.total > 0
),
ranked AS (  -- one sort for both: the whole pool's frame for the sum, the order for the rank
    SELECT b.*,
           b.amount - SUM(b.base) OVER (
               w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
           ) AS leftover,
           row_number() OVER w AS rank
    FROM based b
    WINDOW w AS (PARTITION BY b.pool_id ORDER BY b.remainder DESC, b.agency_id ASC)
)
SELECT pool_id, version_id, agency_id, service_id, value,
       round(value / total, {scale}) AS share,
       (base + CASE WHEN rank <= leftover THEN 1 ELSE 0 END)::bigint AS amount
FROM ranked
"""

# Write the split: lines no longer produced are deleted, changed ones updated, new ones
# inserted, unchanged ones left alone (a rerun writes nothing it need not); one statement. The
# parts see the same snapshot, so the insert and the update touch disjoint rows. A plain INSERT
# of the new rows instead of INSERT ... ON CONFLICT: the period row is locked, nobody else
# writes the period's lines, and speculative insertion costs a third of a first run.
#
# After the write the period's lines are exactly `new` (changed lines are set to it, adjustment
# included), so the same statement reports from `new`, already in memory, what reading the
# lines back cost 0.1 s a month at 1,000 agencies: the number of lines, their checksum (the
# text CHECKSUM_SQL computes from the table, which tests compare) and the pools whose lines do
# not sum to their amount (UNSPLIT_SQL's rows).
WRITE_SQL = """
WITH new AS MATERIALIZED ({split}),
old AS MATERIALIZED (
    SELECT id, pool_id, agency_id, key_version_id, service_id, driver_value, share,
           computed_ore, adjustment_ore, amount_ore
    FROM {line} WHERE period_id = %(period)s
),
changed AS (
    UPDATE {line} l SET
        run_id = %(run)s, key_version_id = n.version_id, service_id = n.service_id,
        driver_value = n.value, share = n.share, computed_ore = n.amount,
        adjustment_ore = 0, amount_ore = n.amount
    FROM new n JOIN old o ON o.pool_id = n.pool_id AND o.agency_id = n.agency_id
    WHERE l.id = o.id
      AND (o.key_version_id, o.service_id, o.driver_value, o.share, o.computed_ore,
           o.adjustment_ore, o.amount_ore)
          IS DISTINCT FROM
          (n.version_id, n.service_id, n.value, n.share, n.amount, 0, n.amount)
),
added AS (
    INSERT INTO {line} (run_id, period_id, pool_id, key_version_id, agency_id, service_id,
                        driver_value, share, computed_ore, adjustment_ore, amount_ore)
    SELECT %(run)s, %(period)s, n.pool_id, n.version_id, n.agency_id, n.service_id, n.value,
           n.share, n.amount, 0, n.amount
    FROM new n
    WHERE NOT EXISTS (
        SELECT 1 FROM old o WHERE o.pool_id = n.pool_id AND o.agency_id = n.agency_id
    )
),
gone AS (
    DELETE FROM {line} gone
    USING old o
    WHERE gone.id = o.id
      AND NOT EXISTS (
          SELECT 1 FROM new n WHERE n.pool_id = o.pool_id AND n.agency_id = o.agency_id
      )
),
sums AS (SELECT pool_id, SUM(amount) AS amount FROM new GROUP BY pool_id)
SELECT
    (SELECT count(*) FROM new),
    (SELECT md5(COALESCE(string_agg(
         concat_ws('|', pool_id, version_id, agency_id, service_id,
                   value::numeric(20, 4), share, amount),
         E'\\n' ORDER BY pool_id, agency_id), '')) FROM new),
    (SELECT COALESCE(json_agg(json_build_array(p.name, p.amount_ore) ORDER BY p.name, p.id),
                     '[]')
     FROM {pool} p LEFT JOIN sums s ON s.pool_id = p.id
     WHERE p.period_id = %(period)s AND p.amount_ore <> COALESCE(s.amount, 0))
"""

# The checksum over the period's lines as stored (tests and the crash check compare it with
# the run's): the same text WRITE_SQL hashes.
CHECKSUM_SQL = """
SELECT count(*), md5(COALESCE(string_agg(
    concat_ws('|', pool_id, key_version_id, agency_id, service_id, driver_value, share,
              amount_ore),
    E'\\n' ORDER BY pool_id, agency_id), ''))
FROM {line} WHERE period_id = %(period)s
"""

UNSPLIT_SQL = """
SELECT p.id, p.name, p.amount_ore, COALESCE(SUM(l.amount_ore), 0)
FROM {pool} p LEFT JOIN {line} l ON l.pool_id = p.id AND l.period_id = p.period_id
WHERE p.period_id = %(period)s
GROUP BY p.id, p.name, p.amount_ore
HAVING p.amount_ore <> COALESCE(SUM(l.amount_ore), 0)
ORDER BY p.name, p.id
"""


def unsplit_pool_names(period_id: int) -> list[str]:
    """The names of the period's pools whose lines do not sum to their amount (changed since
    the last run, or never split)."""
    with connection.cursor() as cursor:
        cursor.execute(UNSPLIT_SQL.format(**_tables()), {"period": period_id})
        return [name for _id, name, _amount, _split in cursor.fetchall()]


def split_sql() -> str:
    return SPLIT_SQL.format(scale=SHARE_SCALE, **_tables())


def split_rows(period: Period) -> list[tuple]:
    """The split as rows, without writing anything (tests and the benchmark)."""
    with connection.cursor() as cursor:
        cursor.execute(split_sql(), {"period": period.pk, "month": period.month})
        return cursor.fetchall()


def stored_checksum(period_id: int) -> tuple[int, str]:
    """(lines, checksum) of the period's lines as stored: what the run reported, when the
    lines are what it wrote."""
    with connection.cursor() as cursor:
        cursor.execute(CHECKSUM_SQL.format(**_tables()), {"period": period_id})
        count, checksum = cursor.fetchone()
    return count, checksum


class RunFailed(Exception):
    """The run could not split every pool (the message names them)."""


def _set(run: AllocationRun, **fields: Any) -> None:
    AllocationRun.objects.filter(pk=run.pk).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)


def write_lines(
    period: Period, run: AllocationRun, after_insert: Callable[[], None] | None = None
) -> tuple[int, str]:
    """Inside a transaction: replace the period's lines; returns (lines, checksum)."""
    tables = _tables()
    params: dict[str, Any] = {"period": period.pk, "month": period.month, "run": run.pk}
    with connection.cursor() as cursor:
        # The window sorts of a large federation (50,000 lines a month) fit in memory.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(WRITE_SQL.format(split=split_sql(), **tables), params)
        count, checksum, unsplit = cursor.fetchone()
        if after_insert is not None:
            after_insert()
        if unsplit:
            names = ", ".join(f"{name} ({amount} öre)" for name, amount in unsplit)
            raise RunFailed(
                _(
                    "Nothing to split these pools by (no key version for the month, no driver "
                    "snapshot, or every driver value is zero): %(pools)s."
                )
                % {"pools": names}
            )
    return count, checksum


def execute_run(run_id: int, after_insert: Callable[[], None] | None = None) -> AllocationRun:
    """Carry out a queued run. Progress is committed outside the split's transaction so that
    callers polling the run see it move; the lines are all-or-nothing."""
    run = AllocationRun.objects.select_related("period").get(pk=run_id)
    if run.state == RunState.DONE:
        return run  # a redelivered task: the run already happened
    _set(run, state=RunState.RUNNING, progress=10, started_at=timezone.now(), error="")
    try:
        with transaction.atomic():
            period = Period.objects.select_for_update().get(pk=run.period_id)
            if period.state != PeriodState.OPEN:
                raise RunFailed(_("Only an open period can be run."))
            count, checksum = write_lines(period, run, after_insert)
    except RunFailed as exc:
        _set(run, state=RunState.FAILED, error=str(exc)[:1000], finished_at=timezone.now())
        return run
    except Exception as exc:
        _set(run, state=RunState.FAILED, error=str(exc)[:1000], finished_at=timezone.now())
        raise
    _set(
        run,
        state=RunState.DONE,
        progress=100,
        lines=count,
        checksum=checksum,
        finished_at=timezone.now(),
    )
    return run


def check_period_writable(period: Period, field: str = "period") -> None:
    if period.state == PeriodState.CLOSED:
        raise field_error(field, _("The period is closed."), Code.PERIOD_CLOSED)
