"""E-mail out: notifications to a ticket's requester through Django's e-mail backend.

Every outgoing subject carries the ticket's reference, `[SN#<agency slug>-<ticket id>]`
(`reference()`), and every mail a Message-ID of its own that names its ticket with a keyed
check (`<...sn-<slug>-<id>-<check>@<support domain>>`); an agent's reply also stores that id on
its TicketMessage. So the requester's answer is threaded back to the ticket by the reference in its
subject or by its In-Reply-To/References headers, whichever mail it answers (email_in.py).
Every mail links to the ticket's page on the agency's host, and the ticket's followers (CC'd
colleagues) get its public replies and resolution too.

An agent's chat line is mailed only to a requester who has left the chat: one whose chat page
has not asked for new lines for CHAT_PRESENCE_SECONDS.

Mails are sent by a task once the transaction that decided them commits (nothing on
rollback); SMTP errors are OSErrors and are retried with backoff.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.outbox.mail import new_message_id
from services.outbox.queue import send_mail_later
from services.people.contact import normalise_email
from services.support.models import Channel, Ticket, TicketFollower, TicketMessage
from services.support.satisfaction.mail import rating_lines
from tenants.hosts import portal_url
from tenants.models import Agency

MESSAGE_ID_SALT = "samnav.support.message-id"
CHAT_PRESENCE_SECONDS = 60  # the chat page polls every few seconds while it is open
REFERENCE = "[SN#{slug}-{id}]"
REFERENCE_RE = re.compile(r"\[SN#(?P<slug>[a-z0-9][a-z0-9-]*)-(?P<id>[0-9]{1,18})\]", re.I)
MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")
OUR_MESSAGE_ID_RE = re.compile(
    r"[<.]sn-(?P<slug>[a-z0-9][a-z0-9-]*)-(?P<id>[0-9]{1,18})-(?P<mac>[0-9a-f]{12})"
    r"@(?P<domain>[^<>@\s]+)>",
    re.I,
)


def reference(agency: Agency, ticket_id: int) -> str:
    return REFERENCE.format(slug=agency.slug, id=ticket_id)


def find_reference(subject: str) -> tuple[str, int] | None:
    """(agency slug, ticket id) of the first reference in a subject, if any."""
    match = REFERENCE_RE.search(subject or "")
    if match is None:
        return None
    return match.group("slug").lower(), int(match.group("id"))


def strip_reference(subject: str) -> str:
    return " ".join(REFERENCE_RE.sub(" ", subject or "").split())


def ticket_subject(agency: Agency, ticket: Ticket, prefix: str = "") -> str:
    return f"{prefix}{ticket.subject} {reference(agency, ticket.pk)}"


def message_ids(header: str) -> list[str]:
    """The <id@host> tokens of a Message-ID, In-Reply-To or References header."""
    return MESSAGE_ID_RE.findall(header or "")


def _mac(slug: str, ticket_id: int) -> str:
    """A keyed check of the ticket a Message-ID names: only our mails carry it, so a reply that
    quotes one shows its sender got a mail of the thread (a forged id does not)."""
    return salted_hmac(MESSAGE_ID_SALT, f"{slug}-{ticket_id}").hexdigest()[:12]


def _tag(agency: Agency, ticket_id: int) -> str:
    return f"sn-{agency.slug}-{ticket_id}-{_mac(agency.slug, ticket_id)}"


def ticket_of_message_id(value: str) -> tuple[str, int] | None:
    """(agency slug, ticket id) named by one of our own Message-IDs, else None (a foreign
    domain, or a check that does not match)."""
    match = OUR_MESSAGE_ID_RE.search(value or "")
    if match is None or match.group("domain").lower() != _our_domain():
        return None
    slug, ticket_id = match.group("slug").lower(), int(match.group("id"))
    if not constant_time_compare(match.group("mac").lower(), _mac(slug, ticket_id)):
        return None
    return slug, ticket_id


def _our_domain() -> str:
    return new_message_id().rsplit("@", 1)[-1].rstrip(">").lower()


def ticket_link(agency: Agency, ticket_id: int) -> str:
    """The ticket's page on the agency's host, for the requester and its followers."""
    path = reverse("support:detail", kwargs={"pk": ticket_id}, urlconf=settings.ROOT_URLCONF)
    return portal_url(agency, path)


def _footer(agency: Agency, ticket: Ticket) -> str:
    return "\n".join(
        [
            _("Reply to this e-mail to add to your ticket; keep %(reference)s in the subject.")
            % {"reference": reference(agency, ticket.pk)},
            _("Your ticket on the web: %(link)s") % {"link": ticket_link(agency, ticket.pk)},
        ]
    )


def _in_chat(ticket: Ticket, message: TicketMessage) -> bool:
    """A chat line to a requester whose chat page is still open (it polls for new lines)."""
    if message.channel != Channel.CHAT or ticket.chat_seen_at is None:
        return False
    return (timezone.now() - ticket.chat_seen_at).total_seconds() < CHAT_PRESENCE_SECONDS


def _followers(ticket: Ticket, except_person_id: int | None) -> list[str]:
    """The addresses of the ticket's active followers (inside the agency's schema)."""
    rows = TicketFollower.objects.filter(ticket=ticket, person__is_active=True).exclude(
        person__email=""
    )
    if except_person_id is not None:
        rows = rows.exclude(person_id=except_person_id)
    emails = rows.values_list("person__email", flat=True)
    return sorted({normalise_email(a) for a in emails} - {""})


def _thread_ids(ticket: Ticket, up_to: int | None = None) -> list[str]:
    rows = ticket.messages.filter(is_internal=False).exclude(email_message_id="")
    if up_to is not None:
        rows = rows.filter(pk__lte=up_to)
    return list(rows.order_by("pk").values_list("email_message_id", flat=True))


def notify_requester(agency: Agency, ticket: Ticket, message: TicketMessage) -> str | None:
    """Mail the requester (and the ticket's followers) about `message`; returns the
    Message-ID sent to the requester (or to the first follower), or None when nothing is due.

    - Someone else's public message (an agent's reply): the text, threaded to the ticket; its
      Message-ID is stored on the message, and a message that has one is not mailed again. A
      chat line is not mailed to a requester still in the chat.
    - The opening message of a ticket the requester sent by e-mail: an acknowledgement that
      gives them the ticket's reference.
    - Internal notes, the requester's other messages and people without an address: none.
    """
    with tenant_context(agency):
        if message.is_internal:
            return None
        ticket = Ticket.objects.select_related("requester").get(pk=ticket.pk)
        requester = ticket.requester
        address = normalise_email(requester.email)
        own = message.author_person_id == requester.pk or (
            message.author_id is not None and message.author_id == requester.user_id
        )
        thread = _thread_ids(ticket, up_to=message.pk)
        tag = _tag(agency, ticket.pk)
        if own:
            opening = not TicketMessage.objects.filter(ticket=ticket, pk__lt=message.pk).exists()
            if not (address and opening and ticket.channel == Channel.EMAIL):
                return None
            body = "\n\n".join(
                [
                    _("We have received your request and registered it as %(reference)s.")
                    % {"reference": reference(agency, ticket.pk)},
                    _footer(agency, ticket),
                ]
            )
            return send_mail_later(
                address,
                ticket_subject(agency, ticket, _("Received: ")),
                body,
                message_id=new_message_id(tag),
                in_reply_to=message.email_message_id,
                references=thread,
                auto="auto-replied",
            )
        to = [] if not address or _in_chat(ticket, message) else [address]
        to += [a for a in _followers(ticket, message.author_person_id) if a != address]
        if not to:
            return None
        # Stored Message-ID: this message was mailed already (or came by mail). The update
        # claims it, so a second call for the same message sends nothing.
        message_id = new_message_id(tag)
        claimed = TicketMessage.objects.filter(pk=message.pk, email_message_id="").update(
            email_message_id=message_id
        )
        if not claimed:
            return None
        message.email_message_id = message_id
        earlier = [m for m in thread if m != message_id]
        subject = ticket_subject(agency, ticket, "Re: ")
        body = "\n\n".join([message.body, "-- ", _footer(agency, ticket)])
        for i, each in enumerate(to):
            send_mail_later(
                each,
                subject,
                body,
                message_id=message_id if i == 0 else new_message_id(tag),
                in_reply_to=earlier[-1] if earlier else "",
                references=earlier,
            )
        return message_id


def notify_resolved(agency: Agency, ticket: Ticket) -> str | None:
    """Tell the requester and the followers their ticket is resolved (reference in the
    subject, a link to the ticket)."""
    with tenant_context(agency):
        ticket = Ticket.objects.select_related("requester").get(pk=ticket.pk)
        address = normalise_email(ticket.requester.email)
        to = [address] if address else []
        to += [a for a in _followers(ticket, None) if a != address]
        thread = _thread_ids(ticket)
    if not to:
        return None
    days = int(getattr(settings, "SAMNAV_REOPEN_DAYS", 14))
    body = "\n\n".join(
        [
            _("Your ticket %(reference)s is resolved.")
            % {"reference": reference(agency, ticket.pk)},
            _("If the matter is not solved, reply within %(days)s days and we will reopen it.")
            % {"days": days},
            _("Your ticket on the web: %(link)s") % {"link": ticket_link(agency, ticket.pk)},
        ]
    )
    sent = [
        send_mail_later(
            each,
            ticket_subject(agency, ticket, _("Resolved: ")),
            # the rating links carry the right to rate: the requester's mail only
            body + "".join(f"\n\n{p}" for p in rating_lines(agency, ticket))
            if each == address
            else body,
            message_id=new_message_id(_tag(agency, ticket.pk)),
            in_reply_to=thread[-1] if thread else "",
            references=thread,
        )
        for each in to
    ]
    return sent[0]


def ask_who(to: str, subject: str, in_reply_to: str = "", *, ambiguous: bool = False) -> str:
    """Answer a sender we cannot place: nothing was filed; ask who they are."""
    if ambiguous:
        reason = _(
            "Your address belongs to more than one agency in the federation, so we could not "
            "tell where to register your message."
        )
    else:
        reason = _("We could not find your address among the staff of any member agency.")
    body = "\n\n".join(
        [
            reason,
            _(
                "Nothing has been registered. Please reply with your name and your agency, or "
                "use your agency's support portal."
            ),
        ]
    )
    return send_mail_later(
        to,
        _("Who are you? Re: %(subject)s") % {"subject": subject or _("(no subject)")},
        body,
        in_reply_to=in_reply_to,
        references=[in_reply_to] if in_reply_to else [],
        auto="auto-replied",
    )


def files_not_kept(to: str, agency: Agency, ticket_id: int, dropped: list[tuple[str, str]]) -> str:
    """Tell the sender which attachments were not kept (the message itself was filed)."""
    lines = [
        _("Your message was registered as %(reference)s, but these attachments were not kept:")
        % {"reference": reference(agency, ticket_id)},
        *(f"- {name}: {why}" for name, why in dropped),
        _("Send them again as PDF, image, office document or text files."),
        _("Your ticket on the web: %(link)s") % {"link": ticket_link(agency, ticket_id)},
    ]
    return send_mail_later(
        to,
        _("Attachments not kept %(reference)s") % {"reference": reference(agency, ticket_id)},
        "\n\n".join([lines[0], "\n".join(lines[1:-2]), *lines[-2:]]),
        auto="auto-replied",
    )
