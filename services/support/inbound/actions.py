"""Taking a delivery once (services/support/inbound/models.py)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from services.support.inbound.models import Delivery, HeldMail


def first_delivery(channel: str, key: str) -> Delivery | None:
    """Claim the delivery `key` of `channel`: the new row when this is the first delivery, or
    None when it was taken before (by this request's twin, even concurrently)."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(channel=channel, key=key[:128])
    except IntegrityError:
        return None


def earlier_answer(channel: str, key: str) -> dict:
    row = Delivery.objects.filter(channel=channel, key=key[:128]).first()
    return dict(row.outcome) if row is not None else {}


def record_answer(delivery: Delivery, answer: dict) -> None:
    delivery.outcome = answer
    delivery.save(update_fields=["outcome"])


def hold_mail(raw: bytes, *, sender: str, subject: str, message_id: str, reason: str) -> bool:
    """Keep an unauthenticated mail for the service desk (HeldMail). False when the same
    Message-ID is held (or was decided) already: a retry changes nothing."""
    _row, created = HeldMail.objects.get_or_create(
        message_id=message_id[:250],
        defaults={
            "raw": raw,
            "sender": sender[:254],
            "subject": subject[:200],
            "reason": reason,
        },
    )
    return created
