"""Held mail: inbound mail whose sender the gateway could not confirm (email_auth.py), kept
for the service desk. An agent who knows the mail is genuine releases it: it is filed as any
authenticated mail is (a ticket or a reply, as its sender). Otherwise it is discarded. Either
decision is recorded with who made it and audited; the sender is never written to."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import app
from services.audit.actions import record_event
from services.support import policies
from services.support.channels import email_in
from services.support.errors import SupportErrorCode as Code
from services.support.inbound.models import HeldMail, HeldState
from services.validation import field_error
from tenants.models import User
from tenants.viewer import Viewer


def may_decide(actor: User | None) -> bool:
    return actor is not None and policies.works_tickets_anywhere(Viewer.of(actor, None))


def _held(actor: User | None, held_id: int) -> HeldMail:
    if not may_decide(actor):
        raise PermissionDenied(_("Held mail is for central IT's service desk."))
    row = HeldMail.objects.select_for_update().filter(pk=held_id).first()
    if row is None:
        raise field_error("mail", _("No such held mail."), Code.NOT_FOUND)
    if row.state != HeldState.HELD:
        raise field_error("mail", _("This mail has been decided already."), Code.INVALID_STATE)
    return row


def _decide(row: HeldMail, actor: User | None, state: str, outcome: str) -> None:
    row.state, row.outcome = state, outcome[:200]
    row.decided_by, row.decided_at = actor, timezone.now()
    row.save(update_fields=["state", "outcome", "decided_by", "decided_at"])
    record_event(actor, f"support.held_mail.{state}", row, sender=row.sender, outcome=outcome)


@transaction.atomic
def release(actor: User | None, held_id: int) -> email_in.Outcome:
    """File the held mail as its sender's (the agent vouches for it)."""
    row = _held(actor, held_id)
    try:
        outcome = email_in.process(bytes(row.raw), authenticated=True)
    except email_in.MalformedMail as exc:
        raise field_error("mail", str(exc), Code.INVALID) from exc
    _decide(row, actor, HeldState.RELEASED, outcome.reference)
    return outcome


@app.task
def purge_held_mail() -> dict[str, int]:
    """Daily (beat): held mail past its keeping time."""
    return purge()


def purge(now: dt.datetime | None = None) -> dict[str, int]:
    """Held mail holds a person's address and text: decided mail is deleted after
    SAMNAV_HELD_MAIL_KEEP_DAYS (30), and mail nobody decided on after twice that (it is then
    discarded by default; its sender never heard from us)."""
    now = now or timezone.now()
    keep = dt.timedelta(days=settings.SAMNAV_HELD_MAIL_KEEP_DAYS)
    decided, _ = (
        HeldMail.objects.exclude(state=HeldState.HELD).filter(decided_at__lt=now - keep).delete()
    )
    undecided, _ = HeldMail.objects.filter(
        state=HeldState.HELD, received_at__lt=now - 2 * keep
    ).delete()
    return {"decided": decided, "undecided": undecided}


@transaction.atomic
def discard(actor: User | None, held_id: int) -> None:
    row = _held(actor, held_id)
    _decide(row, actor, HeldState.DISCARDED, "")
