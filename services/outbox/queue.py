"""Putting a message in the outbox: a row in the same transaction as the decision to send it,
and a delivery task sent once that transaction commits.

Where the row lives: in the schema of the agency it concerns (`agency=`, else the current
agency schema), or in public for central IT's own mail. An agency's row gets an index entry in
public (ids and times only), so the sweeper finds the undelivered ones without visiting every
schema.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, tenant_context

from services.outbox.models import Channel, OutboundBase


def in_public() -> bool:
    return connection.schema_name in (None, "", get_public_schema_name())


def message_model() -> type[OutboundBase]:
    """The outbox of the current schema."""
    if in_public():
        from services.outbox.models import CentralMessage

        return CentralMessage
    from services.people.models import OutboundMessage

    return OutboundMessage


def current_agency_id() -> int:
    """The agency whose schema is current (schema_context sets a stand-in without an id)."""
    from tenants.models import Agency

    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Agency) and tenant.pk and tenant.schema_name == connection.schema_name:
        return tenant.pk
    return Agency.objects.only("pk").get(schema_name=connection.schema_name).pk


def _domain() -> str:
    from services.support.channels.email_out import support_address

    return support_address().rsplit("@", 1)[-1] or "samnav.invalid"


def _put_here(channel: str, recipients: list[str], body: str, **fields) -> OutboundBase:
    from config.celery import enqueue_on_commit
    from services.crossindex.models import IndexEntry, IndexKind
    from services.outbox.delivery import SWEEP_AFTER
    from services.outbox.tasks import deliver_message

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
    agency=None,
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
