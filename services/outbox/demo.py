"""Demo data of the outbox: the demo's own notifications are all sent by the time it is
loaded, so the first agency gets one mail the server refused for good (a colleague who has
left), to show on its admin's "Outgoing messages" page and central IT's counts. Idempotent."""

from __future__ import annotations

from django.utils import timezone
from django_tenants.utils import schema_context

from services.crossindex.models import IndexEntry, IndexKind
from services.outbox.models import Channel, MessageState
from services.outbox.queue import put

SUBJECT = "Ditt ärende har fått ett svar"
ERROR = "SMTPRecipientsRefused: 550 5.1.1 <kristina.berg@{slug}.example>: user unknown"


def load_outbox(agencies) -> None:
    if not agencies:
        return
    agency = agencies[0]
    from services.people.models import OutboundMessage

    with schema_context(agency.schema_name):
        if OutboundMessage.objects.filter(subject=SUBJECT, state=MessageState.FAILED).exists():
            return
        (message,) = put(
            Channel.EMAIL,
            [f"kristina.berg@{agency.slug}.example"],
            "Hej! Servicedesken har svarat i ditt ärende.",
            subject=SUBJECT,
        )
        OutboundMessage.objects.filter(pk=message.pk).update(
            state=MessageState.FAILED,
            attempts=1,
            last_error=ERROR.format(slug=agency.slug),
            next_attempt_at=timezone.now(),
        )
    IndexEntry.objects.filter(agency=agency, kind=IndexKind.OUTBOX, local_id=message.pk).update(
        state=MessageState.FAILED
    )
