"""E-mail in: a raw RFC 822 message becomes a new ticket or a reply on one.

Two entry points feed `process(raw)`: the mail gateway's POST to /inbound/email/
(services/support/webhooks.py) and the `poll_mailbox` task, which reads the unseen messages of
an IMAP mailbox.

- The From header is believed only when the receiving gateway authenticated it (SPF, DKIM,
  DMARC: email_auth.py). Otherwise the mail is held for the service desk (held_mail.py):
  nothing is filed and nobody is written to.
- The sender (From) finds the agency and person (senders.by_email). An unknown or ambiguous
  sender is asked who they are (email_out.ask_who) and nothing is filed anywhere.
- A reply is threaded by In-Reply-To/References naming a message of the ticket (one stored,
  or one of our own Message-IDs, which name their ticket: email_out.py) or by the reference in
  its subject ([SN#<agency>-<id>]). The requester and the ticket's followers write on it; a
  colleague of the same agency is made a follower when the headers show they got the thread
  (they were in its CC, or it was forwarded to them), and is filed there without following
  it when only the subject names it. A reply that cannot be added (no such ticket, closed,
  another agency's) opens a new ticket: a mail is never lost. The From header proves nothing
  about roles, so a mail never acts with an identity's roles: it writes as the person.
- CC: known people of the sender's agency are added as followers of the ticket; every other
  address is left out, and an internal note says who was added and who was not.
- Attachments pass the same checks as every channel (services/support/attachments.py). A
  file that fails them does not lose the mail: the text and the good files are filed, the
  message notes what was left out, and the sender is told which files and why.
- Idempotent: a Message-ID already stored in that agency is not filed twice (a mail without
  one gets a stable id from its content).
- Automatic mail (auto-replies, bounces, lists, our own) is never answered, so no mail loops.
"""

from __future__ import annotations

import hashlib
import imaplib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesParser
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from config.celery import app
from services.outbox.mail import support_address
from services.people.contact import normalise_email
from services.support import actions, email_out, senders
from services.support import attachments as files
from services.support.channels.email_auth import verdict
from services.support.channels.email_thread import cc_addresses, copied, reply, thread
from services.support.channels.html_text import html_to_text
from services.support.inbound.actions import hold_mail
from services.support.models import Channel, TicketMessage
from tenants.models import Agency

log = logging.getLogger("samnav.support.email")
MAX_CC = 50  # addresses of a CC read; a mail to a whole list adds no crowd of followers


class MalformedMail(ValueError):
    """Not a message we can file: no single sender address, or not RFC 822 at all."""


@dataclass
class InboundMail:
    sender: str
    subject: str
    message_id: str
    in_reply_to: list[str]
    references: list[str]
    cc: list[str]
    body: str
    attachments: list[tuple[str, bytes]]
    automatic: bool
    authentication: list[str]  # the Authentication-Results headers, top first


STATUSES = (
    "opened",
    "replied",
    "duplicate",
    "unknown_sender",
    "ambiguous_sender",
    "ignored",
    "held",
)


@dataclass
class Outcome:
    status: str  # one of STATUSES
    agency: Agency | None = None
    ticket_id: int | None = None
    message_id: str = ""
    dropped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def reference(self) -> str:
        if self.agency is None or self.ticket_id is None:
            return ""
        return email_out.reference(self.agency, self.ticket_id)


def _content(part: MIMEPart) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = cast(bytes, part.get_payload(decode=True) or b"")  # decode=True: bytes
        return payload.decode("utf-8", errors="replace")


def _leaves(part: MIMEPart, root: MIMEPart) -> Iterator[MIMEPart]:
    """Leaf parts in order; an attached message (message/rfc822) is one leaf, not opened."""
    if part is not root and part.get_content_type() == "message/rfc822":
        yield part
    elif part.is_multipart():
        for child in part.iter_parts():
            yield from _leaves(child, root)
    else:
        yield part


def _attachment(part: MIMEPart) -> tuple[str, bytes] | None:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner = cast(Message, inner[0] if isinstance(inner, list) else inner)
        return (part.get_filename() or "message.eml", inner.as_bytes())
    filename = part.get_filename()
    if not filename and part.get_content_disposition() != "attachment":
        return None  # an alternative body (the HTML twin of the text we took), not a file
    return (filename or "attachment", cast(bytes, part.get_payload(decode=True) or b""))


def _is_automatic(msg: MIMEPart, sender: str) -> bool:
    auto = str(msg.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(msg.get("Precedence", "")).strip().lower()
    local = sender.split("@", 1)[0].lower()
    return (
        auto not in ("", "no")
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or bool(msg.get("List-Id"))
        or local in ("mailer-daemon", "postmaster")
        or sender.lower() == support_address().lower()
    )


def parse(raw: bytes) -> InboundMail:
    """Read a raw RFC 822 message (stdlib `email`, default policy)."""
    if not raw or not raw.strip():
        raise MalformedMail(_("The message is empty."))
    try:
        msg: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)
        from_header = msg["From"]
        addresses = list(getattr(from_header, "addresses", ()) or ())
    except Exception as exc:  # the parser is lenient; a header it cannot read is malformed
        raise MalformedMail(_("The message cannot be read: %(error)s") % {"error": exc}) from exc
    if from_header is None:
        raise MalformedMail(_("The message has no From header."))
    sender = normalise_email(addresses[0].addr_spec) if len(addresses) == 1 else ""
    if not sender:
        raise MalformedMail(_("The From header does not hold exactly one e-mail address."))
    try:
        subject = " ".join(str(msg.get("Subject", "")).split())
        ids = email_out.message_ids(str(msg.get("Message-ID", "")))
        in_reply_to = email_out.message_ids(str(msg.get("In-Reply-To", "")))
        references = email_out.message_ids(str(msg.get("References", "")))
        cc = cc_addresses(msg.get_all("Cc", []))[:MAX_CC]
        body_part = msg.get_body(preferencelist=("plain", "html"))
        body = ""
        if body_part is not None:
            body = _content(body_part)
            if body_part.get_content_type() == "text/html":
                body = html_to_text(body)
        found = []
        for part in _leaves(msg, msg):
            if part is body_part:
                continue
            item = _attachment(part)
            if item is not None:
                found.append(item)
        automatic = _is_automatic(msg, sender)
        authentication = [str(v) for v in msg.get_all("Authentication-Results", [])]
    except MalformedMail:
        raise
    except Exception as exc:
        raise MalformedMail(_("The message cannot be read: %(error)s") % {"error": exc}) from exc
    message_id = ids[0] if ids else f"<{hashlib.sha256(raw).hexdigest()[:40]}@inbound.samnav>"
    return InboundMail(
        sender=sender,
        subject=subject,
        message_id=message_id[:250],
        in_reply_to=in_reply_to,
        references=references,
        cc=cc,
        body=body.strip(),
        attachments=found,
        automatic=automatic,
        authentication=authentication,
    )


def _check_files(
    found: list[tuple[str, bytes]],
) -> tuple[list[tuple[str, bytes]], list[tuple[str, str]]]:
    kept, dropped = [], []
    for filename, content in found:
        try:
            checked = files.check(filename, content, "attachment")
        except ValidationError as exc:
            reason = " ".join(str(m) for m in exc.messages)
            dropped.append(((filename or "attachment")[:200], reason))
        else:
            kept.append((checked.filename, checked.content))
    return kept, dropped


def process(raw: bytes, *, authenticated: bool = False) -> Outcome:
    """File one raw message. Raises MalformedMail (nothing filed) for what cannot be read.
    A mail the gateway did not authenticate (email_auth.py) is held, unless an agent vouches
    for it (`authenticated`, held_mail.release)."""
    mail = parse(raw)
    if mail.automatic:
        log.info("inbound e-mail ignored: automatic message %s", mail.message_id)
        return Outcome("ignored", message_id=mail.message_id)
    checked = verdict(mail.authentication, mail.sender)
    if not (authenticated or checked.authenticated):
        hold_mail(
            raw,
            sender=mail.sender,
            subject=mail.subject,
            message_id=mail.message_id,
            reason=checked.reason,
        )
        log.info("inbound e-mail held: sender not authenticated (%s)", mail.message_id)
        return Outcome("held", message_id=mail.message_id)
    try:
        sender = senders.by_email(mail.sender)
    except senders.SenderError as exc:
        ambiguous = isinstance(exc, senders.AmbiguousSender)
        email_out.ask_who(mail.sender, mail.subject, mail.message_id, ambiguous=ambiguous)
        status = "ambiguous_sender" if ambiguous else "unknown_sender"
        log.info("inbound e-mail not filed: %s (%s)", status, mail.message_id)
        return Outcome(status, message_id=mail.message_id)
    agency, person = sender.agency, sender.person
    kept, dropped = _check_files(mail.attachments)
    text = mail.body
    if dropped:
        notes = "\n".join(
            _("[Attachment not kept: %(name)s. %(reason)s]") % {"name": n, "reason": r}
            for n, r in dropped
        )
        text = f"{text}\n\n{notes}".strip()
    with tenant_context(agency), transaction.atomic():
        with connection.cursor() as cursor:  # one delivery of a Message-ID at a time
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"{agency.schema_name}:{mail.message_id}"],
            )
        if TicketMessage.objects.filter(email_message_id=mail.message_id).exists():
            return Outcome("duplicate", agency, message_id=mail.message_id)
        ticket_id, proven = thread(
            agency, mail.subject, [*mail.in_reply_to, *reversed(mail.references)]
        )
        message = None
        if ticket_id is not None:
            message = reply(agency, person, ticket_id, proven, text, mail.message_id, kept)
        if message is not None:
            status = "replied"
            ticket = message.ticket
        else:
            status = "opened"
            subject = email_out.strip_reference(mail.subject)[:200] or _("(no subject)")
            ticket = actions.open_ticket(
                agency,
                person,
                actions.NewTicket(subject=subject, description=text, attachments=kept),
                channel=Channel.EMAIL,
                email_message_id=mail.message_id,
            )
            message = ticket.messages.earliest("pk")
        if mail.cc:
            copied(agency, ticket, mail.sender, mail.cc)
        email_out.notify_requester(agency, ticket, message)
        if dropped:
            email_out.files_not_kept(mail.sender, agency, ticket.pk, dropped)
    return Outcome(status, agency, ticket.pk, mail.message_id, dropped)


# --- The IMAP mailbox -------------------------------------------------------------------------


def open_mailbox() -> imaplib.IMAP4:
    """Connect and sign in to the configured mailbox (IMAP4_SSL or plain IMAP4)."""
    cls = imaplib.IMAP4_SSL if settings.SAMNAV_IMAP_SSL else imaplib.IMAP4
    client = cls(settings.SAMNAV_IMAP_HOST, settings.SAMNAV_IMAP_PORT, timeout=_timeout())
    client.login(settings.SAMNAV_IMAP_USER, settings.SAMNAV_IMAP_PASSWORD)
    return client


def _timeout() -> float:
    return float(getattr(settings, "SAMNAV_IMAP_TIMEOUT", 30))


class MailboxError(RuntimeError):
    pass


def _raw(fetched: Sequence[Any] | None) -> bytes | None:
    for item in fetched or ():
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None


def poll(client: imaplib.IMAP4, mailbox: str = "INBOX") -> dict[str, int]:
    """File every unseen message of `mailbox`. A message is marked \\Seen only once it was
    handled: filed, found a duplicate, answered (unknown sender) or rejected as malformed
    (also \\Flagged, for a person to look at). One that failed for another reason stays
    unseen and is tried again at the next poll; filing is idempotent."""
    counts = dict.fromkeys(("seen", *STATUSES, "rejected", "failed"), 0)
    typ, _data = client.select(mailbox)
    if typ != "OK":
        raise MailboxError(f"cannot select {mailbox}")
    typ, data = client.search(None, "UNSEEN")
    if typ != "OK":
        raise MailboxError("search failed")
    for num in (data[0] or b"").decode().split():
        counts["seen"] += 1
        flags = "(\\Seen)"
        try:
            typ, fetched = client.fetch(num, "(BODY.PEEK[])")
            raw = _raw(fetched) if typ == "OK" else None
            if raw is None:
                raise MailboxError(f"cannot fetch message {num!r}")
            outcome = process(raw)
        except MalformedMail as exc:
            log.warning("mailbox message %s rejected: %s", num, exc)
            counts["rejected"] += 1
            flags = "(\\Seen \\Flagged)"
        except Exception:
            log.exception("mailbox message %s failed; left unseen", num)
            counts["failed"] += 1
            continue
        else:
            counts[outcome.status] += 1
        client.store(num, "+FLAGS", flags)
    return counts


@app.task
def poll_mailbox() -> dict[str, int]:
    """Periodic (beat, when SAMNAV_IMAP_HOST is set): file the mailbox's unseen messages."""
    if not settings.SAMNAV_IMAP_HOST:
        return {"skipped": 1}
    client = open_mailbox()
    try:
        return poll(client, settings.SAMNAV_IMAP_MAILBOX)
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            log.warning("mailbox logout failed", exc_info=True)
