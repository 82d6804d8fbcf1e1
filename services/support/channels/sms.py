"""SMS in: an inbound webhook (signed); replies go out through the outbox.

In: POST /inbound/sms/ (services/support/webhooks.py) with `from`, `message` and the
provider's `id` (form or JSON), signed with HMAC-SHA256 of "<unix time>." and the raw body
under SAMNAV_SMS_WEBHOOK_SECRET: X-Samnav-Timestamp holds the time, X-Samnav-Signature
"sha256=<hex>". A signature older or newer than SAMNAV_SMS_WEBHOOK_TOLERANCE seconds (300) is
refused, and a delivery whose id was taken before files nothing (services/support/inbound/).
The sender's phone number finds the person and agency (senders.by_phone). A message that
starts with a ticket's reference ("SN12 ...") is added to that ticket (the sender's own, in the
sender's agency); any other message opens a new ticket. An unknown or ambiguous number is asked
who they are, and nothing is filed. A text longer than MAX_TEXT is cut, and says so.

Out: the outbox queues and sends SMS (services/outbox/queue.py, `send_sms_later`; the
providers, 46elks and the recording test double, are in services/outbox/sms.py).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.outbox.queue import send_sms_later
from services.people.contact import normalise_phone
from services.support import actions, senders
from services.support.models import Channel

log = logging.getLogger("samnav.support.sms")

SIGNATURE_HEADER = "X-Samnav-Signature"
TIMESTAMP_HEADER = "X-Samnav-Timestamp"
# A longer message is cut to this many characters, and the ticket says so.
MAX_TEXT = 2000
# "SN12 ...", "SN#12: ...", "[SN#alpha-12] ...": the ticket's number leads the message.
REFERENCE_RE = re.compile(
    r"^\s*\[?SN#?(?:(?P<slug>[a-z0-9][a-z0-9-]*?)-)?(?P<id>[0-9]{1,18})\]?(?:[\s:.,]+|$)", re.I
)


def reference(ticket_id: int) -> str:
    return f"SN{ticket_id}"


# --- Signatures -------------------------------------------------------------------------------


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """HMAC-SHA256 of "<timestamp>." and the raw body: a signature made for one moment."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def signed_headers(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers a sender adds: the time of sending and the signature over it and the body."""
    moment = int(time.time()) if timestamp is None else timestamp
    return {TIMESTAMP_HEADER: str(moment), SIGNATURE_HEADER: sign(secret, body, moment)}


def signature_ok(secret: str, body: bytes, header: str, timestamp: str) -> bool:
    """Constant-time check of the signature, made within SAMNAV_SMS_WEBHOOK_TOLERANCE
    seconds of now (a replay later than that is refused); an empty secret accepts nothing."""
    if not secret or not header or not timestamp.strip().isdigit():
        return False
    moment = int(timestamp.strip())
    if abs(time.time() - moment) > settings.SAMNAV_SMS_WEBHOOK_TOLERANCE:
        return False
    expected = sign(secret, body, moment)
    return hmac.compare_digest(expected.encode(), header.strip().encode())


# --- Providers --------------------------------------------------------------------------------


# --- Inbound ----------------------------------------------------------------------------------


@dataclass
class SmsOutcome:
    status: str  # opened | replied | unknown_sender | ambiguous_sender
    agency: object = None
    ticket_id: int | None = None


def _subject(text: str) -> str:
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    return first if len(first) <= 80 else first[:79].rstrip() + "…"


def process(number: str, text: str) -> SmsOutcome:
    """File one inbound SMS from `number`. Raises ValidationError for an empty message or a
    number that is not one."""
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        note = _("(The message was cut to %(max)s characters.)") % {"max": MAX_TEXT}
        text = f"{text[:MAX_TEXT].rstrip()}\n\n{note}"
    to = normalise_phone(number)
    if not to:
        raise ValidationError({"from": ValidationError(_("Not a phone number."))})
    if not text:
        raise ValidationError({"message": ValidationError(_("The message is empty."))})
    try:
        sender = senders.by_phone(to)
    except senders.SenderError as exc:
        ambiguous = isinstance(exc, senders.AmbiguousSender)
        if ambiguous:
            reply = _(
                "Your number belongs to more than one agency, so nothing was registered. "
                "Please contact your agency's support portal and tell us who you are."
            )
        else:
            reply = _(
                "We do not recognise your number, so nothing was registered. Please reply "
                "with your name and agency, or use your agency's support portal."
            )
        send_sms_later(to, reply)
        status = "ambiguous_sender" if ambiguous else "unknown_sender"
        log.info("inbound SMS not filed: %s", status)
        return SmsOutcome(status)
    agency, person = sender.agency, sender.person
    match = REFERENCE_RE.match(text)
    with tenant_context(agency), transaction.atomic():
        if match and (match.group("slug") or agency.slug).lower() == agency.slug:
            rest = text[match.end() :].strip()
            try:
                message = actions.add_message(
                    agency,
                    int(match.group("id")),
                    body=rest or text,
                    channel=Channel.SMS,
                    person=person,
                )
            except (ValidationError, PermissionDenied) as exc:
                log.info("SMS reply filed as a new ticket: %s", exc)
            else:
                send_sms_later(
                    to,
                    _("Added to your ticket %(reference)s.")
                    % {"reference": reference(message.ticket_id)},
                )
                return SmsOutcome("replied", agency, message.ticket_id)
        ticket = actions.open_ticket(
            agency,
            person,
            actions.NewTicket(subject=_subject(text), description=text),
            channel=Channel.SMS,
        )
        send_sms_later(
            to,
            _(
                "Thank you, your ticket is registered as %(reference)s. Start a message with "
                "%(reference)s to add to it."
            )
            % {"reference": reference(ticket.pk)},
        )
    return SmsOutcome("opened", agency, ticket.pk)
