"""How long the outbox keeps what it holds. A sent message is kept SAMNAV_OUTBOX_KEEP_SENT_DAYS
(default 30: long enough to answer "did the mail go out?"), a failed one
SAMNAV_OUTBOX_KEEP_FAILED_DAYS (default 90: long enough to mend the address and send it
again); then both go, with their index entry. They hold addresses and text, personal data that
has no use once the message is delivered or given up on."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from services.crossindex.models import IndexEntry, IndexKind
from services.outbox.homes import current_agency_id, in_public, message_model
from services.outbox.models import MessageState


def purge(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete the current schema's messages past their keeping time (an agency's, or central
    IT's in public); returns how many, sent and failed."""
    now = now or timezone.now()
    model = message_model()
    sent_before = now - dt.timedelta(days=settings.SAMNAV_OUTBOX_KEEP_SENT_DAYS)
    failed_before = now - dt.timedelta(days=settings.SAMNAV_OUTBOX_KEEP_FAILED_DAYS)
    with transaction.atomic():
        sent, _ = model.objects.filter(state=MessageState.SENT, sent_at__lt=sent_before).delete()
        old_failed = model.objects.filter(
            state=MessageState.FAILED, next_attempt_at__lt=failed_before
        )
        ids = list(old_failed.values_list("pk", flat=True))
        failed, _ = old_failed.delete()
        if ids and not in_public():
            IndexEntry.objects.filter(
                agency_id=current_agency_id(), kind=IndexKind.OUTBOX, local_id__in=ids
            ).delete()
    return {"sent": sent, "failed": failed}
