"""Putting a message in the outbox: a row in the same transaction as the decision to send it,
and a delivery task sent once that transaction commits. `put` takes any message;
`send_mail_later` and `send_sms_later` are the ones every domain uses.

Where the row lives: in the schema of the agency it concerns (`agency=`, else the current
agency schema), or in public for central IT's own mail. An agency's row gets an index entry in
public (ids and times only), so the sweeper finds the undelivered ones without visiting every
schema.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, tenant_context

from config.celery import enqueue_on_commit
from services.crossindex.models import IndexEntry, IndexKind
from services.outbox.delivery import SWEEP_AFTER, deliver_message
from services.outbox.homes import current_agency_id, in_public, message_model
from services.outbox.mail import new_message_id, support_address
from services.outbox.models import Channel, OutboundBase
from tenants.models import Agency


def _domain() -> str:
    return support_address().rsplit("@", 1)[-1] or "samnav.invalid"


def _put_here(channel: str, recipients: list[str], body: str, **fields: Any) -> OutboundBase:
    key = uuid.uuid4()
    headers = dict(fields.pop("headers", None) or {})
    if channel == Channel.EMAIL and not headers.get("Message-ID"):
        headers["Message-ID"] = f"<outbox-{key}@{_domain()}>"
    with transaction.atomic():
        message = message_model().objects.create(
            key=key,
            channel=channel,
            recipients=recipients,
            body=body,
            headers=headers,
            next_attempt_at=timezone.now() + SWEEP_AFTER,
            **fields,
        )
        if not in_public():
            IndexEntry.objects.create(
                agency_id=current_agency_id(),
                kind=IndexKind.OUTBOX,
                local_id=message.pk,
                state=message.state,
                due_at=message.next_attempt_at,
            )
    enqueue_on_commit(deliver_message, message.pk)
    return message


def put(
    channel: str,
    recipients: Iterable[str],
    body: str,
    *,
    subject: str = "",
    from_email: str = "",
    headers: dict | None = None,
    agency: Agency | None = None,
) -> list[OutboundBase]:
    """Queue a message; returns the rows written (none without a recipient). An e-mail goes to
    all its recipients at once; an SMS is one row per number."""
    recipients = [r.strip() for r in recipients if r and r.strip()]
    recipients = sorted(set(recipients)) if channel == Channel.EMAIL else recipients
    if not recipients:
        return []
    fields = {"subject": subject, "from_email": from_email, "headers": headers}
    groups = [recipients] if channel == Channel.EMAIL else [[r] for r in recipients]

    def write() -> list[OutboundBase]:
        return [_put_here(channel, group, body, **dict(fields)) for group in groups]

    if agency is not None and agency.schema_name != get_public_schema_name():
        with tenant_context(agency):
            return write()
    return write()


def send_mail_later(
    to: str,
    subject: str,
    body: str,
    *,
    message_id: str | None = None,
    in_reply_to: str = "",
    references: list[str] | None = None,
    auto: str = "auto-generated",
) -> str:
    """Queue one mail in the outbox, sent once the current transaction commits; returns its
    Message-ID (the threading headers travel with it)."""
    message_id = message_id or new_message_id()
    headers = {
        "Message-ID": message_id,
        "Reply-To": support_address(),
        # RFC 3834: automatic mail; auto-responders do not answer it (no mail loops).
        "Auto-Submitted": auto,
    }
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
    if references:
        headers["References"] = " ".join(references)
    put(
        Channel.EMAIL,
        [to],
        body,
        subject=subject,
        from_email=support_address(),
        headers=headers,
    )
    return message_id


def send_sms_later(to: str, text: str) -> None:
    """Queue an SMS in the outbox, sent once the current transaction commits (nothing on
    rollback)."""
    put(Channel.SMS, [to], text)
