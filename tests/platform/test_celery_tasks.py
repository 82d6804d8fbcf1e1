"""Celery without a broker (eager): a task carries its agency's schema and runs in it, fails
closed without one, is enqueued on commit, and is acknowledged late (design.md §9)."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from config.celery import AgencyTask, MissingAgencyContext, app, enqueue_on_commit
from services.people.models import Person
from services.people.tasks import census, digest
from tests.platform.worker_support import PROBED, REPO, probe_write

pytestmark = pytest.mark.django_db


def _emails(schema: str) -> list[str]:
    with schema_context(schema):
        return sorted(Person.objects.values_list("email", flat=True))


def _add_person(schema: str, email: str) -> None:
    with schema_context(schema):
        Person.objects.create(name=email.split("@")[0], email=email)


def _probed_anywhere(federation, email: str) -> list[str]:
    """The agency schemas holding a person with `email`."""
    return [
        agency.schema_name
        for agency in (federation.alpha, federation.beta, federation.template)
        if email in _emails(agency.schema_name)
    ]


def test_a_task_sent_from_an_agency_runs_in_that_agencys_schema(federation):
    alpha, beta = federation.alpha.schema_name, federation.beta.schema_name
    # given two people in alpha and one in beta
    before = {alpha: _emails(alpha), beta: _emails(beta)}
    _add_person(alpha, "anna@alfa.example")
    _add_person(alpha, "bo@alfa.example")
    _add_person(beta, "cilla@beta.example")
    # when census is sent from alpha's context, then from beta's
    with schema_context(alpha):
        from_alpha = census.delay().get()
        # then the caller's schema is untouched by the task
        assert connection.schema_name == alpha
    with schema_context(beta):
        from_beta = census.delay().get()
    # then each task read only its own agency's schema
    assert from_alpha == {
        "schema": alpha,
        "people": len(before[alpha]) + 2,
        "digest": digest([*before[alpha], "anna@alfa.example", "bo@alfa.example"]),
    }
    assert from_beta == {
        "schema": beta,
        "people": len(before[beta]) + 1,
        "digest": digest([*before[beta], "cilla@beta.example"]),
    }


def test_the_schema_in_the_message_wins_over_the_connections(federation):
    alpha, beta = federation.alpha.schema_name, federation.beta.schema_name
    # given a person only in beta
    _add_person(beta, "dora@beta.example")
    # when a task whose message names beta runs on a connection sitting in alpha
    with schema_context(alpha):
        result = census.apply_async(headers={"_schema_name": beta}).get()
        # then the connection is back in alpha afterwards
        assert connection.schema_name == alpha
    # then it ran in beta
    assert result["schema"] == beta
    with schema_context(beta):
        assert result["digest"] == digest(_emails(beta))


def test_an_agency_task_without_an_agency_schema_fails_and_touches_nothing(federation):
    PROBED.clear()
    # given the connection on the public schema
    assert connection.schema_name == "public"
    # when an agency task that would write a person is sent from there
    with pytest.raises(MissingAgencyContext) as failure:
        probe_write.delay("ghost@nowhere.example")
    # then it failed closed before its body ran, and no schema holds the person
    assert str(failure.value) == (
        "task tests.platform.worker_support.probe_write needs an agency schema and was given none"
    )
    assert PROBED == []
    assert _probed_anywhere(federation, "ghost@nowhere.example") == []
    assert connection.schema_name == "public"


def test_a_message_naming_public_fails_even_on_a_connection_left_in_an_agency(federation):
    PROBED.clear()
    alpha = federation.alpha.schema_name
    before = _emails(alpha)
    # given a connection left in alpha (as a worker's after an alpha task)
    with schema_context(alpha):
        # when a task whose message carries the public schema runs there
        with pytest.raises(MissingAgencyContext):
            probe_write.apply_async(
                ("stray@nowhere.example",), headers={"_schema_name": "public"}
            ).get()
        # then the connection is restored to alpha
        assert connection.schema_name == alpha
    # then it did not run in alpha (nor anywhere)
    assert PROBED == []
    assert _emails(alpha) == before


def test_calling_an_agency_task_directly_in_public_fails_too(federation):
    PROBED.clear()
    # when an agency task is called as a function in the public schema
    with pytest.raises(MissingAgencyContext):
        probe_write("direct@nowhere.example")
    # then its body never ran
    assert PROBED == []
    assert _probed_anywhere(federation, "direct@nowhere.example") == []


def test_the_products_tasks_are_agency_tasks():
    # then census is built on the fail-closed base
    assert isinstance(census, AgencyTask)
    assert isinstance(probe_write, AgencyTask)


def test_enqueue_on_commit_sends_only_after_the_commit(
    federation, django_capture_on_commit_callbacks
):
    PROBED.clear()
    alpha = federation.alpha.schema_name
    with schema_context(alpha):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            # when a task is enqueued inside a transaction
            enqueue_on_commit(probe_write, "late@alfa.example")
            # then it has not run before the commit
            assert PROBED == []
            assert "late@alfa.example" not in _emails(alpha)
        # then it ran once, after the commit, in alpha
        assert len(callbacks) == 1
        assert PROBED == ["late@alfa.example"]
        assert _probed_anywhere(federation, "late@alfa.example") == [alpha]


def test_enqueue_on_commit_sends_nothing_when_the_transaction_rolls_back(
    federation, django_capture_on_commit_callbacks
):
    PROBED.clear()
    alpha = federation.alpha.schema_name

    class Abort(Exception):
        pass

    # when a task is enqueued in a transaction that then rolls back
    with (
        schema_context(alpha),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        enqueue_on_commit(probe_write, "never@alfa.example")
        raise Abort
    # then it was never sent
    assert callbacks == []
    assert PROBED == []
    assert _probed_anywhere(federation, "never@alfa.example") == []


def test_enqueue_on_commit_keeps_the_schema_it_was_called_in(
    federation, django_capture_on_commit_callbacks
):
    PROBED.clear()
    beta = federation.beta.schema_name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # when a task is enqueued in beta's context, and the commit happens after leaving it
        with schema_context(beta):
            enqueue_on_commit(probe_write, "kept@beta.example")
        assert connection.schema_name == "public"
    # then it ran in beta, not in the public schema current at the commit
    assert len(callbacks) == 1
    assert PROBED == ["kept@beta.example"]
    assert _probed_anywhere(federation, "kept@beta.example") == [beta]


def test_tasks_are_acknowledged_late_and_rejected_when_the_worker_is_lost():
    # then the app acknowledges after the task, and gives the message back on a lost worker
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert census.acks_late is True
    assert census.reject_on_worker_lost is True
    # and the test settings run tasks eagerly, with no broker
    assert app.conf.task_always_eager is True
    assert app.conf.task_eager_propagates is True


@pytest.mark.parametrize(
    ("broker", "eager"),
    [("", "True"), ("redis://127.0.0.1:6379/0", "False")],
)
def test_base_settings_are_eager_exactly_when_no_broker_is_configured(broker, eager):
    # given the base settings read with or without CELERY_BROKER_URL
    env = {**os.environ, "CELERY_BROKER_URL": broker, "PYTHONPATH": f"{REPO}/platform"}
    code = "from config.settings import base; print(base.CELERY_TASK_ALWAYS_EAGER)"
    # when they are loaded
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    # then tasks run eagerly only without a broker
    assert out.stdout.strip() == eager


def test_a_task_reads_its_agency_as_it_is_now_even_when_the_clock_moves_back(federation):
    """tenant-schemas-celery caches the agency by schema name until a wall-clock expiry. Under
    the tests' clock, which moves back before every test, that cache never expired, and a task
    ran with the Agency row an earlier test had under the same schema name (seen in CI: an index
    row written for an agency id that no longer existed). In production, a cached row would keep
    a suspended agency's old state. The task reads the row each time."""
    import time_machine

    from tenants.models import Agency

    alpha = federation.alpha
    task_cls = type(census._get_current_object())
    now = timezone.now()
    # given a task looked the agency up a minute from now
    with time_machine.travel(now + dt.timedelta(minutes=1), tick=False):
        assert task_cls.get_tenant_for_schema(alpha.schema_name).state == alpha.state
    # when the agency changes and the clock is moved back (as it is before each test)
    Agency.objects.filter(pk=alpha.pk).update(state="suspended")
    with time_machine.travel(now - dt.timedelta(minutes=1), tick=False):
        # then the next task sees the agency as it is now
        assert task_cls.get_tenant_for_schema(alpha.schema_name).state == "suspended"
