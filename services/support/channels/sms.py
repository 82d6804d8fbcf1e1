"""SMS: an inbound webhook (signed) and outbound messages through a provider.

In: POST /inbound/sms/ (services/support/webhooks.py) with `from` and `message` (form or
JSON), signed with HMAC-SHA256 of the raw body under SAMNAV_SMS_WEBHOOK_SECRET in the
X-Samnav-Signature header ("sha256=<hex>"). The sender's phone number finds the person and
agency (senders.by_phone). A message that starts with a ticket's reference ("SN12 ...") is
added to that ticket (the sender's own, in the sender's agency); any other message opens a
new ticket. An unknown or ambiguous number is asked who they are, and nothing is filed.

Out: `SmsProvider.send(to, text)`; SAMNAV_SMS_PROVIDER selects "46elks" (HTTP API, basic
auth) or "recording" (a test double that keeps the messages). Messages go through the outbox
(services/outbox/): sent by a task after the transaction commits; network errors and 5xx
answers are retried.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.support import actions
from services.support.channels import senders
from services.support.models import Channel

log = logging.getLogger("samnav.support.sms")

SIGNATURE_HEADER = "X-Samnav-Signature"
MAX_TEXT = 2000
# "SN12 ...", "SN#12: ...", "[SN#alpha-12] ...": the ticket's number leads the message.
REFERENCE_RE = re.compile(
    r"^\s*\[?SN#?(?:(?P<slug>[a-z0-9][a-z0-9-]*?)-)?(?P<id>[0-9]{1,18})\]?(?:[\s:.,]+|$)", re.I
)


def reference(ticket_id: int) -> str:
    return f"SN{ticket_id}"


# --- Signatures -------------------------------------------------------------------------------


def sign(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    """Constant-time check of the body's signature; an empty secret accepts nothing."""
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), header.strip().encode())


# --- Providers --------------------------------------------------------------------------------


class SmsProvider(Protocol):
    def send(self, to: str, text: str) -> None: ...


class SmsSendError(Exception):
    """The provider refused the message (not retried)."""


class SmsTemporaryError(OSError):
    """The provider failed for now (5xx, 429): retried by the task."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a redirect is an answer we do not expect: raise it as an HTTPError


class FortySixElks:
    """46elks (Sweden): POST /a1/sms with basic auth and form fields from, to, message."""

    def __init__(self, username: str, password: str, sender: str, url: str, timeout: float):
        if not url.startswith(("https://", "http://")):
            raise ValueError("the 46elks URL must be http(s)")
        self.username, self.password, self.sender = username, password, sender
        self.url, self.timeout = url, timeout

    @classmethod
    def from_settings(cls) -> FortySixElks:
        return cls(
            settings.SAMNAV_46ELKS_USERNAME,
            settings.SAMNAV_46ELKS_PASSWORD,
            settings.SAMNAV_SMS_SENDER,
            settings.SAMNAV_46ELKS_URL,
            settings.SAMNAV_SMS_TIMEOUT,
        )

    def send(self, to: str, text: str) -> str:
        """Send one SMS; returns the provider's id for it. Raises on any non-2xx answer."""
        data = urllib.parse.urlencode({"from": self.sender, "to": to, "message": text}).encode()
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310  (scheme checked in __init__)
            self.url,
            data=data,
            method="POST",
            headers={
                "Authorization": f"Basic {token}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", errors="replace")
            if exc.code >= 500 or exc.code == 429:
                raise SmsTemporaryError(f"46elks answered {exc.code}: {detail}") from exc
            raise SmsSendError(f"46elks answered {exc.code}: {detail}") from exc
        if not 200 <= status < 300:
            raise SmsSendError(f"46elks answered {status}")
        try:
            return str(json.loads(body).get("id", ""))
        except (ValueError, AttributeError):
            return ""


@dataclass(frozen=True)
class SentSms:
    to: str
    text: str


class RecordingSmsProvider:
    """A test double: keeps every message in `outbox` (shared by all instances)."""

    outbox: ClassVar[list[SentSms]] = []

    def send(self, to: str, text: str) -> str:
        log.info("SMS kept by the recording provider, not sent (SAMNAV_SMS_PROVIDER)")
        self.outbox.append(SentSms(to, text))
        return str(len(self.outbox))


def provider() -> SmsProvider:
    name = settings.SAMNAV_SMS_PROVIDER
    if name == "46elks":
        return FortySixElks.from_settings()
    if name == "recording":
        return RecordingSmsProvider()
    raise ValueError(f"unknown SMS provider {name!r}")


def send_later(to: str, text: str) -> None:
    """Queue an SMS in the outbox, sent once the current transaction commits (nothing on
    rollback)."""
    from services.outbox.models import Channel as OutboxChannel
    from services.outbox.queue import put

    put(OutboxChannel.SMS, [to], text)


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
    text = (text or "").strip()[:MAX_TEXT]
    to = senders.normalise_phone(number)
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
        send_later(to, reply)
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
                send_later(
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
        send_later(
            to,
            _(
                "Thank you, your ticket is registered as %(reference)s. Start a message with "
                "%(reference)s to add to it."
            )
            % {"reference": reference(ticket.pk)},
        )
    return SmsOutcome("opened", agency, ticket.pk)
