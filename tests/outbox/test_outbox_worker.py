"""A real worker on a real broker delivers each outbox message from the schema its task names:
an agency's message from that agency's schema, central IT's from public."""

import random

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from services.crossindex.models import IndexEntry, IndexKind
from services.outbox.agency.models import OutboundMessage
from services.outbox.models import CentralMessage, Channel, MessageState
from services.outbox.tasks import deliver_message
from tests.platform.worker_support import (
    committed,
    wait_for,
    worker_for_tests,
)

pytestmark = [pytest.mark.broker, pytest.mark.django_db]


def test_a_real_worker_delivers_each_message_from_its_own_schema(broker_url, federation):
    alpha, beta = federation.alpha, federation.beta
    pk = 10**9 + random.randrange(10**6)  # the same id in alpha's and beta's outbox
    fields = {"pk": pk, "channel": Channel.EMAIL, "body": "Body"}

    def add():
        for agency in (alpha, beta):
            with schema_context(agency.schema_name):
                OutboundMessage.objects.create(
                    recipients=[f"admin@{agency.slug}.example"], subject=agency.slug, **fields
                )
            IndexEntry.objects.create(agency=agency, kind=IndexKind.OUTBOX, local_id=pk, state="p")
        CentralMessage.objects.create(recipients=["it@central.example"], subject="c", **fields)

    def states():
        out = {}
        for agency in (alpha, beta):
            with schema_context(agency.schema_name):
                out[agency.slug] = OutboundMessage.objects.get(pk=pk).state
        out["central"] = CentralMessage.objects.get(pk=pk).state
        out["index"] = sorted(
            IndexEntry.objects.filter(kind=IndexKind.OUTBOX, local_id=pk).values_list(
                "agency__slug", flat=True
            )
        )
        return out

    def remove():
        for agency in (alpha, beta):
            with schema_context(agency.schema_name):
                OutboundMessage.objects.filter(pk=pk).delete()
        IndexEntry.objects.filter(kind=IndexKind.OUTBOX, local_id=pk).delete()
        CentralMessage.objects.filter(pk=pk).delete()

    committed(add)
    try:
        # given a real worker, and committed messages with one id in alpha, beta and public
        with worker_for_tests(broker_url) as worker:
            # when the message is delivered from alpha's schema and from public (not beta's)
            with schema_context(alpha.schema_name):
                from_alpha = deliver_message.apply_async((pk,), queue=worker.queue)
            assert connection.schema_name == "public"
            from_public = deliver_message.apply_async((pk,), queue=worker.queue)
            results = [from_alpha, from_public]
            wait_for(results, worker, timeout=60)
            assert [r.result for r in results] == ["sent", "sent"], worker.log()
            for result in results:
                result.forget()
        # then alpha's and central IT's were sent, beta's with the same id was not touched,
        # and only beta's index entry is left
        assert committed(states) == {
            "alpha": MessageState.SENT,
            "beta": MessageState.PENDING,
            "central": MessageState.SENT,
            "index": ["beta"],
        }
    finally:
        committed(remove)
