"""The allocation run in SQL: one pass over public, exact sums, idempotent, all-or-nothing."""

import pytest
from django.db import IntegrityError, transaction

from services.costs.allocation import execute_run, stored_checksum
from services.costs.models import AllocationLine, AllocationRun, RunState
from tests.costs import builders as b

pytestmark = pytest.mark.django_db


def _run(per, **kw):
    run = AllocationRun.objects.create(period=per)
    return execute_run(run.pk, **kw)


def _lines(per):
    return list(
        AllocationLine.objects.filter(period=per)
        .order_by("pool_id", "agency_id")
        .values_list("pool__name", "agency_id", "driver_value", "amount_ore")
    )


def _one_pool_per_method(federation, weights: tuple[str, str]):
    """March with alpha (headcount 100) and beta (headcount 200), subscription fees for a
    mail service, and one pool per method; `weights` are the fixed key's for alpha and beta."""
    a, z = federation.alpha.pk, federation.beta.pk
    per = b.period()
    mail = b.service()
    b.drivers(per, "headcount", {a: 100, z: 200})
    b.drivers(per, "subscriptions", {a: 5000, z: 2500}, ref=mail.pk)
    b.pool(per, "even", 1001, b.key("Even", "even"))
    b.pool(per, "fixed", 1000, b.key("Fixed", "fixed", weights={a: weights[0], z: weights[1]}))
    b.pool(per, "heads", 1000, b.key("Heads", "driver", "headcount"))
    b.pool(per, "direct", 7500, b.key("Direct", "direct"), service=mail)
    return per


def test_every_method_splits_each_pool_exactly(federation):
    # given alpha (headcount 100) and beta (headcount 200) in March, and one pool per method
    a, z = federation.alpha.pk, federation.beta.pk
    per = _one_pool_per_method(federation, ("30", "70"))
    # when the period is run
    run = _run(per)
    # then every pool is split exactly, with the larger remainder (then the smaller id) first
    assert run.state == RunState.DONE, run.error
    assert (run.progress, run.lines) == (100, 8)
    assert [(n, ag, int(amt)) for n, ag, _v, amt in _lines(per)] == [
        ("even", a, 501),
        ("even", z, 500),
        ("fixed", a, 300),
        ("fixed", z, 700),
        ("heads", a, 333),
        ("heads", z, 667),
        ("direct", a, 5000),
        ("direct", z, 2500),
    ]


def test_running_twice_gives_identical_lines_and_checksum(federation):
    # given a period with a driver split
    a, z = federation.alpha.pk, federation.beta.pk
    per = b.period()
    b.drivers(per, "headcount", {a: 3, z: 3})
    b.pool(per, "p", 100, b.key("Heads", "driver", "headcount"))
    # when it is run twice
    first = _run(per)
    lines = _lines(per)
    second = _run(per)
    # then the lines and the checksums are the same
    assert first.checksum == second.checksum and len(first.checksum) == 32
    assert _lines(per) == lines == [("p", a, 3, 50), ("p", z, 3, 50)]


def test_the_runs_checksum_is_the_checksum_of_the_stored_lines(federation):
    # given a period with every method and fractional weights
    a = federation.alpha.pk
    per = _one_pool_per_method(federation, ("0.3", "0.7"))
    # when it is run (every line new), then run again after a change (lines updated in place)
    first = _run(per)
    # then the checksum the run computed from what it wrote is the one read back from the table
    assert (first.lines, first.checksum) == stored_checksum(per.pk)
    from services.costs.models import DriverSnapshot

    DriverSnapshot.objects.filter(period=per, kind="headcount", agency_id=a).update(value=150)
    second = _run(per)
    assert (second.lines, second.checksum) == stored_checksum(per.pk)
    assert second.checksum != first.checksum


def test_an_interrupted_run_leaves_the_previous_lines(federation):
    # given a period run once
    a, z = federation.alpha.pk, federation.beta.pk
    per = b.period()
    b.drivers(per, "headcount", {a: 1, z: 2})
    b.pool(per, "p", 90, b.key("Heads", "driver", "headcount"))
    done = _run(per)
    before = _lines(per)

    def crash():
        raise OSError("worker lost")

    # when a second run dies after writing its lines
    with pytest.raises(OSError):
        _run(per, after_insert=crash)
    # then the first run's lines are there, unchanged; running again gives them again
    assert _lines(per) == before
    assert _run(per).checksum == done.checksum
    assert AllocationRun.objects.filter(period=per, state=RunState.FAILED).count() == 1


def test_a_pool_with_nothing_to_split_by_fails_the_run_naming_it(federation):
    # given a pool keyed on tickets, and no agency had a ticket
    a = federation.alpha.pk
    per = b.period()
    b.members(per, [a])
    b.pool(per, "Servicedesk", 500, b.key("Tickets", "driver", "tickets"))
    b.pool(per, "Fine", 500, b.key("Even", "even"))
    # when the period is run
    run = _run(per)
    # then the run failed, named the pool, and wrote no line
    assert run.state == RunState.FAILED
    assert "Servicedesk (500 öre)" in run.error
    assert "Fine" not in run.error
    assert AllocationLine.objects.filter(period=per).count() == 0


def test_exclusions_and_only_subscribers_leave_agencies_out(federation):
    # given two keys, one excluding beta, one for subscribers of the pool's service only
    a, z = federation.alpha.pk, federation.beta.pk
    per = b.period()
    mail = b.service()
    b.members(per, [a, z])
    b.drivers(per, "subscriptions", {a: 0, z: 100}, ref=mail.pk)
    b.pool(per, "excl", 10, b.key("Excl", "even", excluded=[z]))
    b.pool(per, "subs", 10, b.key("Subs", "even", only_subscribers=True), service=mail)
    # when run
    _run(per)
    # then beta pays nothing of the first and alpha nothing of the second
    assert [(n, ag, amt) for n, ag, _v, amt in _lines(per)] == [("excl", a, 10), ("subs", z, 10)]


def test_the_version_valid_in_the_month_is_used(federation):
    # given a key that is even until March and fixed 1/3 from April
    a, z = federation.alpha.pk, federation.beta.pk
    k = b.key("K", "even", valid_from=b.MONTH.replace(month=1))
    newer = k.versions.create(valid_from=b.MONTH.replace(month=4), method="fixed")
    newer.weights.create(agency_id=a, weight=1)
    newer.weights.create(agency_id=z, weight=3)
    march, april = b.period(), b.period(b.MONTH.replace(month=4))
    for per in (march, april):
        b.members(per, [a, z])
        b.pool(per, "p", 100, k)
    # when both are run
    _run(march)
    _run(april)
    # then March splits evenly and April by the weights, each line naming its version
    assert [amt for *_x, amt in _lines(march)] == [50, 50]
    assert [amt for *_x, amt in _lines(april)] == [25, 75]
    assert set(
        AllocationLine.objects.filter(period=april).values_list("key_version", flat=True)
    ) == {newer.pk}


def test_a_closed_period_refuses_every_write_in_the_database(federation):
    # given a closed period with a line
    a = federation.alpha.pk
    per = b.period()
    b.members(per, [a])
    b.pool(per, "p", 100, b.key("Even", "even"))
    _run(per)
    per.state = "closed"
    per.save()
    line = AllocationLine.objects.get(period=per)
    # when anything writes to it directly, then the database refuses
    for write in (
        lambda: AllocationLine.objects.filter(pk=line.pk).update(amount_ore=1, computed_ore=1),
        lambda: AllocationLine.objects.filter(pk=line.pk).delete(),
        lambda: b.pool(per, "late", 5, None, corrects=line),
        lambda: b.members(per, [federation.beta.pk]),
        lambda: type(per).objects.filter(pk=per.pk).update(state="open"),
    ):
        with pytest.raises(IntegrityError, match="closed"), transaction.atomic():
            write()
    assert AllocationLine.objects.get(pk=line.pk).amount_ore == 100


def test_a_rerun_updates_lines_in_place_adds_new_agencies_and_removes_gone_ones(federation):
    # given a period run with alpha and beta, the line ids noted (disputes point at them)
    from tenants.models import Agency

    a, z = federation.alpha.pk, federation.beta.pk
    (gamma,) = Agency.objects.bulk_create(  # a row is enough: the split reads public only
        [Agency(name="Gamma", slug="gamma-split", schema_name="gamma_split")]
    )
    g = gamma.pk
    per = b.period()
    b.drivers(per, "headcount", {a: 1, z: 1})
    b.pool(per, "p", 100, b.key("Heads", "driver", "headcount"))
    first = _run(per)
    ids = dict(AllocationLine.objects.filter(period=per).values_list("agency_id", "pk"))
    # when beta leaves, gamma joins and alpha's headcount changes, and the period is run again
    from services.costs.models import DriverSnapshot

    DriverSnapshot.objects.filter(period=per, agency_id=z).delete()
    DriverSnapshot.objects.filter(period=per, agency_id=a).update(value=3)
    b.drivers(per, "headcount", {g: 1})
    second = _run(per)
    # then alpha's line is updated in place, gamma's is new, beta's is gone; the pool still sums
    lines = {
        line.agency_id: line for line in AllocationLine.objects.filter(period=per).order_by("pk")
    }
    assert set(lines) == {a, g}
    assert lines[a].pk == ids[a] and lines[a].amount_ore == 75 and lines[a].run_id == second.pk
    assert lines[g].amount_ore == 25 and lines[g].pk not in ids.values()
    assert second.checksum != first.checksum and second.lines == 2


def test_a_pool_with_lines_cannot_be_deleted_in_the_database(federation):
    # given a run period (lines carry no per-line constraint to their pool)
    per = b.period()
    b.members(per, [federation.alpha.pk])
    pool = b.pool(per, "p", 100, b.key("Even", "even"))
    _run(per)
    # when the pool is deleted behind the ORM's back, then the database refuses
    from django.db import connection

    refused = pytest.raises(IntegrityError, match="still has allocation lines")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM costs_costpool WHERE id = %s", [pool.pk])
    assert AllocationLine.objects.filter(pool=pool).count() == 1
