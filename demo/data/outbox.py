"""Demo data of the outbox: the demo's own notifications are all sent by the time it is
loaded, so the first agency gets one mail the server refused for good (a colleague who has
left), to show on its admin's "Outgoing messages" page and central IT's counts. The row and
its index entry are written as delivery leaves a refused mail, not queued: queued, the demo's
eager tasks would send it at once. Idempotent."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from services.crossindex.models import IndexEntry, IndexKind
from services.outbox.agency.models import OutboundMessage
from services.outbox.models import Channel, MessageState

SUBJECT = "Ditt ärende har fått ett svar"
ERROR = "SMTPRecipientsRefused: 550 5.1.1 <kristina.berg@{slug}.example>: user unknown"


@transaction.atomic
def load_outbox(agencies) -> None:
    if not agencies:
        return
    agency = agencies[0]
    now = timezone.now()
    with schema_context(agency.schema_name):
        if OutboundMessage.objects.filter(subject=SUBJECT, state=MessageState.FAILED).exists():
            return
        key = uuid.uuid4()
        message = OutboundMessage.objects.create(
            key=key,
            channel=Channel.EMAIL,
            recipients=[f"kristina.berg@{agency.slug}.example"],
            subject=SUBJECT,
            body="Hej! Servicedesken har svarat i ditt ärende.",
            headers={"Message-ID": f"<outbox-{key}@samnav.invalid>"},
            state=MessageState.FAILED,
            attempts=1,
            last_error=ERROR.format(slug=agency.slug),
            next_attempt_at=now,
        )
    IndexEntry.objects.create(
        agency=agency,
        kind=IndexKind.OUTBOX,
        local_id=message.pk,
        state=MessageState.FAILED,
        due_at=now,
    )
