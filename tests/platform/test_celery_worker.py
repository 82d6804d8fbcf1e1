"""A real Celery worker on a real broker (Redis or RabbitMQ on this machine) runs each agency's
tasks in that agency's schema, and refuses a task that carries no agency (design.md §9).

The worker is another process and sees only committed rows, while the test's connection sits
in pytest-django's per-test transaction: the rows it reads are written (and deleted after) on a
connection of their own (`committed`). No `transaction=True`: its flush would also wipe the
session's federation."""

import uuid

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from config.celery import MissingAgencyContext
from services.people.models import Person
from services.people.tasks import census, digest
from tests.platform.worker_support import (
    committed,
    probe_write,
    wait_for,
    worker_for_tests,
)

pytestmark = [pytest.mark.broker, pytest.mark.django_db]


@pytest.fixture
def committed_people(federation):
    """Two committed people in alpha and three in beta, with emails unique to this run; the
    schema's full sorted e-mail list (whatever else it holds) for each."""
    run = uuid.uuid4().hex[:8]
    wanted = {
        federation.alpha.schema_name: [f"anna-{run}@alfa.example", f"bo-{run}@alfa.example"],
        federation.beta.schema_name: [
            f"cilla-{run}@beta.example",
            f"dan-{run}@beta.example",
            f"eva-{run}@beta.example",
        ],
    }

    def add() -> dict[str, list[str]]:
        expected = {}
        for schema, emails in wanted.items():
            with schema_context(schema):
                Person.objects.bulk_create(
                    Person(name=email.split("@")[0], email=email) for email in emails
                )
                expected[schema] = sorted(Person.objects.values_list("email", flat=True))
        return expected

    def remove() -> None:
        for schema, emails in wanted.items():
            with schema_context(schema):
                Person.objects.filter(email__in=emails).delete()

    try:
        yield committed(add)
    finally:
        committed(remove)


def test_a_real_worker_runs_each_agencys_task_in_its_own_schema(
    broker_url, federation, committed_people
):
    alpha, beta = federation.alpha.schema_name, federation.beta.schema_name
    ghost = f"ghost-{uuid.uuid4().hex[:8]}@nowhere.example"
    results = []
    # given a real worker (solo pool) on a queue of its own, against the test database
    with worker_for_tests(broker_url) as worker:
        try:
            # when census is sent from alpha and beta in turn, ten times
            sent = []
            for i in range(10):
                schema = alpha if i % 2 == 0 else beta
                with schema_context(schema):
                    sent.append((schema, census.apply_async(queue=worker.queue)))
            # and an agency task that would write is sent from the public schema
            assert connection.schema_name == "public"
            refused = probe_write.apply_async((ghost,), queue=worker.queue)
            results = [r for _, r in sent] + [refused]
            wait_for(results, worker, timeout=60)

            # then every task read exactly its own agency's people
            for schema, result in sent:
                assert result.successful(), worker.log()
                assert result.result == {
                    "schema": schema,
                    "people": len(committed_people[schema]),
                    "digest": digest(committed_people[schema]),
                }
            # then the public task failed closed instead of running
            assert refused.failed()
            assert isinstance(refused.result, MissingAgencyContext)
            assert str(refused.result) == (
                "task tests.platform.worker_support.probe_write needs an agency schema "
                "and was given none"
            )
        finally:
            for result in results:
                result.forget()
    # and the refused task wrote nothing in any agency
    for agency in (federation.alpha, federation.beta, federation.template):
        with schema_context(agency.schema_name):
            assert not Person.objects.filter(email=ghost).exists()
