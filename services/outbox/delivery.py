"""Delivering the outbox: none lost, each sent once but for one window.

A worker takes the message's row lock (SKIP LOCKED: a second worker given the same message
leaves it), marks it sent, sends, and commits. Killed at any point before that commit, the
row is still pending and unlocked: the redelivered task or the sweeper sends it again. The one
window left is between the mail server's acceptance and the COMMIT (one round trip): a worker
killed in it has sent a message that is sent again. Neither SMTP nor SMS gateways offer a way
to ask whether they accepted a message, so this cannot be closed from our side; the copy
carries the same Message-ID, so mail clients show it once (`make crash` checks that the only
copies are of messages in flight at the kill, with the same Message-ID).

An SMTP or SMS error counts an attempt and the sweeper tries again after 1, 2, 4...
minutes; after MAX_ATTEMPTS the message is failed and kept for reading (its index entry too,
so central IT sees how many failed where: `manage.py outbox`).
"""

from __future__ import annotations

import datetime as dt

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tenants.utils import tenant_context

from config.celery import app, enqueue_on_commit
from config.observability import OUTBOX_DELIVERIES
from services.crossindex.models import IndexEntry, IndexKind
from services.outbox.homes import current_agency_id, in_public, message_model
from services.outbox.models import CentralMessage, Channel, MessageState, OutboundBase
from services.outbox.sms import provider
from tenants.models import Agency, AgencyState

MAX_ATTEMPTS = 8
# A message whose delivery task has not sent it this long after it was queued (a lost task:
# the process died between the commit and the broker) is handed to a worker again.
SWEEP_AFTER = dt.timedelta(minutes=2)


def _send(message: OutboundBase) -> None:
    if message.channel == Channel.SMS:
        for number in message.recipients:
            provider().send(number, message.body)
        return
    EmailMessage(
        message.subject,
        message.body,
        from_email=message.from_email or None,
        to=message.recipients,
        headers=message.headers,
    ).send(fail_silently=False)


def _index(message: OutboundBase) -> QuerySet[IndexEntry]:
    if in_public():
        return IndexEntry.objects.none()
    return IndexEntry.objects.filter(
        agency_id=current_agency_id(), kind=IndexKind.OUTBOX, local_id=message.pk
    )


def deliver(pk: int) -> str:
    """Send one message of the current schema's outbox (see _deliver), counted in the
    samnav_outbox_deliveries metric."""
    outcome, channel = _deliver(pk)
    if channel:
        OUTBOX_DELIVERIES.labels(channel=channel, outcome=outcome).inc()
    return outcome


# Named as it was when it lived in tasks.py, so messages queued before an upgrade still find it.
@app.task(name="services.outbox.tasks.deliver_message")
def deliver_message(pk: int) -> str:
    """Runs in the schema the message was queued in (the task's schema header): an agency's,
    or public for central IT's own mail. A failed attempt is retried by the sweeper."""
    return deliver(pk)


def _deliver(pk: int) -> tuple[str, str]:
    """What happened, and the message's channel when an attempt was made. What happened:
    "sent"; the state it was already in; "busy" (another worker holds it); "retry" (this
    attempt failed: recorded, and the sweeper tries again when it is due); or "failed" (that
    attempt was the last)."""
    model = message_model()
    with transaction.atomic():
        message = model.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if message is None:
            return ("busy" if model.objects.filter(pk=pk).exists() else "gone"), ""
        if message.state != MessageState.PENDING:
            return message.state, ""
        message.attempts += 1
        try:
            # Marked sent before sending, in a savepoint that a failed send rolls back: once
            # the server has accepted the message, only the COMMIT is left to do (the window
            # in which a killed worker means a second copy is one round trip, not three).
            with transaction.atomic():
                message.state, message.sent_at = MessageState.SENT, timezone.now()
                message.save(update_fields=["state", "sent_at", "attempts"])
                _index(message).delete()
                _send(message)
        except OSError as exc:  # SMTP and socket errors, the SMS gateway's 5xx: try again
            message.state, message.sent_at = MessageState.PENDING, None
            return _record_failure(message, exc), message.channel
        except Exception as exc:  # noqa: BLE001 - refused for good (a 4xx): kept, not retried
            message.state, message.sent_at = MessageState.PENDING, None
            return _record_failure(message, exc, final=True), message.channel
    return message.state, message.channel


def _record_failure(message: OutboundBase, exc: Exception, final: bool = False) -> str:
    """Count the attempt and set when the next is due; "failed" when it was the last."""
    message.last_error = f"{type(exc).__name__}: {exc}"[:500]
    wait = 60 * 2 ** (message.attempts - 1)
    message.next_attempt_at = timezone.now() + dt.timedelta(seconds=wait)
    if final or message.attempts >= MAX_ATTEMPTS:
        message.state = MessageState.FAILED
        _index(message).update(state=MessageState.FAILED)  # kept: central IT counts them
    else:
        _index(message).update(due_at=message.next_attempt_at)
    message.save(update_fields=["attempts", "last_error", "next_attempt_at", "state"])
    return "failed" if message.state == MessageState.FAILED else "retry"


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Hand pending messages whose task was lost (or whose retry is due) to workers again:
    central ones from public, agencies' from the index (no visit to a schema without any)."""
    now = now or timezone.now()
    later = now + SWEEP_AFTER
    counts = {"central": 0, "agency": 0}
    with transaction.atomic():
        due = list(
            CentralMessage.objects.select_for_update(skip_locked=True)
            .filter(state=MessageState.PENDING, next_attempt_at__lte=now)
            .values_list("pk", flat=True)
        )
        CentralMessage.objects.filter(pk__in=due).update(next_attempt_at=later)
        for pk in due:
            enqueue_on_commit(deliver_message, pk)
        counts["central"] = len(due)
        # An offboarded agency's schema is archived and dropped, its unsent messages with it.
        IndexEntry.objects.filter(
            kind=IndexKind.OUTBOX, agency__state=AgencyState.OFFBOARDED
        ).delete()
        entries = list(
            IndexEntry.objects.select_for_update(skip_locked=True)
            .filter(kind=IndexKind.OUTBOX, state=MessageState.PENDING, due_at__lte=now)
            .values_list("pk", "agency_id", "local_id")
        )
        IndexEntry.objects.filter(pk__in=[e[0] for e in entries]).update(due_at=later)
        agencies = Agency.objects.in_bulk({agency_id for _pk, agency_id, _local in entries})
        for _pk, agency_id, local_id in entries:
            with tenant_context(agencies[agency_id]):
                enqueue_on_commit(deliver_message, local_id)
        counts["agency"] = len(entries)
    return counts


def retry_failed(agency: Agency | None = None) -> dict[str, int]:
    """Set failed messages back to pending, due now (after the mail server or gateway is
    mended): central ones in public and agencies' found through the index; with `agency`,
    that agency's only."""
    now = timezone.now()
    again = {"attempts": 0, "state": MessageState.PENDING, "next_attempt_at": now}
    counts = {"central": 0, "agency": 0}
    if agency is None:
        counts["central"] = CentralMessage.objects.filter(state=MessageState.FAILED).update(**again)
    failed = IndexEntry.objects.filter(kind=IndexKind.OUTBOX, state=MessageState.FAILED).exclude(
        agency__state=AgencyState.OFFBOARDED
    )
    if agency is not None:
        failed = failed.filter(agency=agency)
    by_agency: dict[int, list[int]] = {}
    for agency_id, local_id in failed.values_list("agency_id", "local_id"):
        by_agency.setdefault(agency_id, []).append(local_id)
    for found in Agency.objects.filter(pk__in=by_agency):
        with tenant_context(found), transaction.atomic():
            model = message_model()
            counts["agency"] += model.objects.filter(
                pk__in=by_agency[found.pk], state=MessageState.FAILED
            ).update(**again)
            IndexEntry.objects.filter(
                agency=found, kind=IndexKind.OUTBOX, local_id__in=by_agency[found.pk]
            ).update(state=MessageState.PENDING, due_at=now)
    return counts
