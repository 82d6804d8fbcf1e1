"""The outbox: mail and SMS are rows written with the decision, delivered once, never lost to a
lost task, retried after an error, and kept in the schema of the agency they concern."""

import datetime as dt
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context
from prometheus_client import REGISTRY

from services.crossindex.models import IndexEntry, IndexKind
from services.outbox import delivery
from services.outbox.agency.models import OutboundMessage
from services.outbox.homes import message_model
from services.outbox.models import CentralMessage, Channel, MessageState
from services.outbox.queue import put
from services.outbox.sms import RecordingSmsProvider
from services.people.notify import send_after_commit
from tests.concurrency import in_thread, run_together

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(minutes=3)


def sample(outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "samnav_outbox_deliveries_total", {"channel": "email", "outcome": outcome}
    )
    return value or 0.0


class RefusingBackend:
    """An SMTP server that is down: every send raises ConnectionRefusedError (an OSError)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("connection refused")


def test_agency_mail_lives_in_the_agency_schema_and_is_sent_once_after_commit(
    federation, django_capture_on_commit_callbacks
):
    # given a mail to alpha's admin decided in public (as the periodic jobs do)
    alpha = federation.alpha
    # when it is queued and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit("Subject", "Body", ["admin@alfa.example"], agency=alpha)
    # then it was sent once, from a row in alpha's schema, marked sent; public holds neither
    # the address nor the text, and the index entry is gone once it was sent
    assert [(m.subject, m.to) for m in mail.outbox] == [("Subject", ["admin@alfa.example"])]
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<outbox-")
    with tenant_context(alpha):
        (row,) = OutboundMessage.objects.filter(subject="Subject")
        assert (row.state, row.attempts, row.recipients) == ("sent", 1, ["admin@alfa.example"])
    assert not CentralMessage.objects.filter(subject="Subject").exists()
    assert not IndexEntry.objects.filter(kind=IndexKind.OUTBOX, local_id=row.pk).exists()
    with tenant_context(federation.beta):  # and beta's outbox knows nothing of it
        assert not OutboundMessage.objects.filter(key=row.key).exists()


def test_a_rolled_back_decision_sends_nothing(federation, django_capture_on_commit_callbacks):
    # when the transaction that queued a mail rolls back
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_after_commit("Subject", "Body", ["a@example.org"], agency=federation.alpha)
        transaction.set_rollback(True)
    # then nothing was sent and no row or index entry is left
    assert mail.outbox == []
    with tenant_context(federation.alpha):
        assert not OutboundMessage.objects.filter(subject="Subject").exists()
    assert not IndexEntry.objects.filter(kind=IndexKind.OUTBOX).exists()


def test_a_lost_delivery_task_is_sent_by_the_sweeper_exactly_once(
    federation, django_capture_on_commit_callbacks
):
    # given a mail for alpha and a central one whose delivery tasks were lost (the process died
    # between the commit and the broker: the callbacks never ran)
    with django_capture_on_commit_callbacks(execute=False):
        send_after_commit("For alpha", "Body", ["a@alfa.example"], agency=federation.alpha)
        send_after_commit("For central", "Body", ["it@central.example"])
    assert mail.outbox == []
    entry = IndexEntry.objects.get(kind=IndexKind.OUTBOX, agency=federation.alpha)
    assert entry.state == "pending"
    # when the sweeper runs before the grace period is over, then it leaves them to the tasks
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.sweep() == {"central": 0, "agency": 0}
    # when it runs after it, twice
    with django_capture_on_commit_callbacks(execute=True):
        first = delivery.sweep(timezone.now() + LATER)
    with django_capture_on_commit_callbacks(execute=True):
        second = delivery.sweep(timezone.now() + LATER)
    # then each message was sent once, by the first sweep
    assert first == {"central": 1, "agency": 1} and second == {"central": 0, "agency": 0}
    assert sorted(m.subject for m in mail.outbox) == ["For alpha", "For central"]


def test_delivering_a_message_twice_sends_it_once(federation):
    # given a central message queued
    with transaction.atomic():
        (message,) = put(Channel.EMAIL, ["it@central.example"], "Body", subject="Once")
    mail.outbox.clear()
    # when its task is delivered twice (a redelivery after a lost acknowledgement)
    outcomes = [delivery.deliver(message.pk), delivery.deliver(message.pk)]
    # then it went out once
    assert outcomes in (["sent", "sent"], ["sent", MessageState.SENT])
    assert len(mail.outbox) <= 1


def test_a_worker_holding_a_message_keeps_another_from_sending_it(federation):
    # given a committed, pending central message, and a worker (another connection) inside
    # its send, holding its row
    message = in_thread(
        lambda: CentralMessage.objects.create(
            channel=Channel.EMAIL, recipients=["it@central.example"], subject="Held", body="B"
        )
    )
    holding, release = threading.Event(), threading.Event()

    def worker(i):
        if i == 0:
            with transaction.atomic():
                CentralMessage.objects.select_for_update().get(pk=message.pk)
                holding.set()
                release.wait(10)
            return "held"
        holding.wait(10)
        try:
            return delivery.deliver(message.pk)
        finally:
            release.set()

    try:
        # when a second worker is given the same message meanwhile
        results = run_together(2, worker)
        # then it leaves it alone: nothing sent, still pending
        assert results == ["held", "busy"]
        assert mail.outbox == []
        state = in_thread(lambda: CentralMessage.objects.get(pk=message.pk).state)
        assert state == MessageState.PENDING
        # and once the holder is gone, a delivery sends it
        assert in_thread(lambda: delivery.deliver(message.pk)) == MessageState.SENT
        assert [m.subject for m in mail.outbox] == ["Held"]
    finally:
        in_thread(lambda: CentralMessage.objects.filter(pk=message.pk).delete())


@override_settings(EMAIL_BACKEND="tests.outbox.test_outbox.RefusingBackend")
def test_a_refused_send_is_counted_and_retried_when_due_then_failed(
    federation, django_capture_on_commit_callbacks
):
    # given the mail server refuses connections
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit("Subject", "Body", ["a@alfa.example"], agency=federation.alpha)
    # then the attempt is recorded, the message waits, and the index says when it is due
    with tenant_context(federation.alpha):
        row = OutboundMessage.objects.get(subject="Subject")
    assert (row.state, row.attempts) == ("pending", 1)
    assert "connection refused" in row.last_error
    entry = IndexEntry.objects.get(kind=IndexKind.OUTBOX, agency=federation.alpha)
    assert entry.due_at == row.next_attempt_at > timezone.now()
    # when the sweeper comes by after every wait, up to the last attempt
    moment = timezone.now()
    for _attempt in range(delivery.MAX_ATTEMPTS - 1):
        moment += dt.timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=True):
            delivery.sweep(moment)
    # then the message is failed (kept for reading, and counted in the index for central IT),
    # and the sweeper no longer offers it
    with tenant_context(federation.alpha):
        row = OutboundMessage.objects.get(subject="Subject")
    assert (row.state, row.attempts) == ("failed", delivery.MAX_ATTEMPTS)
    assert IndexEntry.objects.get(kind=IndexKind.OUTBOX, local_id=row.pk).state == "failed"
    assert delivery.sweep(moment + dt.timedelta(days=30)) == {"central": 0, "agency": 0}


def test_failed_messages_are_shown_and_retried_by_the_command(
    federation, django_capture_on_commit_callbacks
):
    # given a failed mail for alpha and a failed central one (the server was down for good)
    with (
        override_settings(EMAIL_BACKEND="tests.outbox.test_outbox.BrokenBackend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_after_commit("Alpha's", "Body", ["a@alfa.example"], agency=federation.alpha)
        send_after_commit("Central", "Body", ["it@central.example"])
    # when central IT looks, then each shows as failed where it is
    out = io.StringIO()
    call_command("outbox", stdout=out)
    assert "central IT\tfailed\t1" in out.getvalue()
    assert "alpha\tfailed\t1" in out.getvalue()
    # when they retry once the server is mended, then the sweeper sends both, once
    out = io.StringIO()
    call_command("outbox", "--retry-failed", stdout=out)
    assert "1 central and 1 agency message(s) set back to pending." in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.sweep() == {"central": 1, "agency": 1}
    assert sorted(m.subject for m in mail.outbox) == ["Alpha's", "Central"]
    out = io.StringIO()
    call_command("outbox", stdout=out)
    assert "\tfailed\t" not in out.getvalue()


def test_a_failed_attempt_is_sent_by_the_sweeper_once_the_server_is_back(
    federation, django_capture_on_commit_callbacks
):
    retried, sent = sample("retry"), sample("sent")
    # given a central mail whose first attempt met a refusing server
    with (
        override_settings(EMAIL_BACKEND="tests.outbox.test_outbox.RefusingBackend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_after_commit("Later", "Body", ["it@central.example"])
    assert CentralMessage.objects.get(subject="Later").attempts == 1
    # when the server is back and the retry is due
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep(timezone.now() + dt.timedelta(minutes=5))
    # then it is sent, and the metric counted the failed attempt and the sent one
    assert [m.subject for m in mail.outbox] == ["Later"]
    assert sample("retry") == retried + 1 and sample("sent") == sent + 1
    assert CentralMessage.objects.get(subject="Later").state == MessageState.SENT


class WitnessBackend:
    """A mail server that, while accepting a message, notes what the database says of it on
    the sending connection (the worker's own transaction)."""

    seen: list = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        for message in messages:
            row = message_model().objects.get(subject=message.subject)
            WitnessBackend.seen.append(
                (row.state, IndexEntry.objects.filter(kind=IndexKind.OUTBOX).count())
            )
        return len(messages)


@override_settings(EMAIL_BACKEND="tests.outbox.test_outbox.WitnessBackend")
def test_when_the_server_accepts_a_message_only_the_commit_is_left(federation):
    # given a central message and an agency's (with its index entry)
    WitnessBackend.seen = []
    (central,) = put(Channel.EMAIL, ["it@samnav.example"], "Body", subject="Central")
    with tenant_context(federation.alpha):
        put(Channel.EMAIL, ["admin@alfa.example"], "Body", subject="Alpha")
        alpha = OutboundMessage.objects.get(subject="Alpha")
    # when each is delivered
    delivery.deliver(central.pk)
    with tenant_context(federation.alpha):
        delivery.deliver(alpha.pk)
    # then, as the server accepted each, its row was already marked sent and the agency's
    # index entry gone in the worker's transaction: a kill after acceptance loses the commit
    # only (the smallest window a mail protocol allows; services/outbox/delivery.py)
    assert WitnessBackend.seen == [(MessageState.SENT, 1), (MessageState.SENT, 0)]


@override_settings(SAMNAV_SMS_PROVIDER="recording")
def test_an_sms_is_one_row_per_number_in_the_agency_schema(
    federation, django_capture_on_commit_callbacks
):
    RecordingSmsProvider.outbox.clear()
    # when an SMS is queued in alpha's schema for two numbers
    with tenant_context(federation.alpha), django_capture_on_commit_callbacks(execute=True):
        rows = put(Channel.SMS, ["+46701234501", "+46701234502"], "Hej")
    # then each number got it once, from its own row
    assert len(rows) == 2
    assert sorted(s.to for s in RecordingSmsProvider.outbox) == ["+46701234501", "+46701234502"]
    with tenant_context(federation.alpha):
        assert (
            OutboundMessage.objects.filter(pk__in=[r.pk for r in rows], state="sent").count() == 2
        )


def test_a_message_without_recipients_writes_nothing(federation):
    # when a mail is queued for nobody (an agency without admins' addresses)
    with schema_context("public"):
        assert put(Channel.EMAIL, ["", "  "], "Body", agency=federation.alpha) == []
    # then no row is written anywhere
    with tenant_context(federation.alpha):
        assert not OutboundMessage.objects.filter(body="Body").exists()
    assert connection.schema_name == "public"


class BrokenBackend:
    """A send that fails for good (not a network error): retrying would not help."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ValueError("the message cannot be encoded")


@override_settings(EMAIL_BACKEND="tests.outbox.test_outbox.BrokenBackend")
def test_a_send_that_fails_for_good_is_failed_at_once(
    federation, django_capture_on_commit_callbacks
):
    # when a mail meets an error that is not the network's
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit("Subject", "Body", ["it@central.example"])
    # then it is failed after one attempt, with the reason kept, and not offered again
    row = CentralMessage.objects.get(subject="Subject")
    assert (row.state, row.attempts) == ("failed", 1)
    assert row.last_error == "ValueError: the message cannot be encoded"
    assert delivery.sweep(timezone.now() + dt.timedelta(days=1)) == {"central": 0, "agency": 0}


def test_the_sweeper_drops_what_an_offboarded_agency_left(federation):
    # given an index entry of a message in a schema that offboarding archived and dropped
    from tenants.models import Agency, AgencyState

    (gone,) = Agency.objects.bulk_create(
        [Agency(name="Gone", slug="gone", schema_name="gone", state=AgencyState.OFFBOARDED)]
    )
    IndexEntry.objects.create(
        agency=gone, kind=IndexKind.OUTBOX, local_id=1, state="pending", due_at=timezone.now()
    )
    # when the sweeper runs, then it hands nothing to a worker and forgets the entry
    assert delivery.sweep(timezone.now() + LATER) == {"central": 0, "agency": 0}
    assert not IndexEntry.objects.filter(agency=gone).exists()


def test_a_message_queued_under_schema_context_is_indexed_for_its_agency(
    federation, django_capture_on_commit_callbacks
):
    # given code that switched schemas by name (django-tenants' schema_context: no agency row)
    with (
        schema_context(federation.alpha.schema_name),
        django_capture_on_commit_callbacks(execute=False),
    ):
        (row,) = put(Channel.EMAIL, ["a@alfa.example"], "Body", subject="By name")
    # then the row is alpha's and so is its index entry
    entry = IndexEntry.objects.get(kind=IndexKind.OUTBOX, local_id=row.pk)
    assert entry.agency_id == federation.alpha.pk
