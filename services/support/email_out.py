"""E-mail out: notifications to a ticket's requester through Django's e-mail backend.

Every outgoing subject carries the ticket's reference, `[SN#<agency slug>-<ticket id>]`
(`reference()`), and every mail a Message-ID of its own; an agent's reply stores that id on
its TicketMessage, so that the requester's answer is threaded back to the ticket by the
reference in its subject or by its In-Reply-To/References headers (email_in.py).

Mails are sent by a task once the transaction that decided them commits (nothing on
rollback); SMTP errors are OSErrors and are retried with backoff.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.outbox.mail import new_message_id
from services.outbox.queue import send_mail_later
from services.people.contact import normalise_email
from services.support.models import Channel, Ticket, TicketMessage
from tenants.models import Agency

REFERENCE = "[SN#{slug}-{id}]"
REFERENCE_RE = re.compile(r"\[SN#(?P<slug>[a-z0-9][a-z0-9-]*)-(?P<id>[0-9]{1,18})\]", re.I)
MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")


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


def _footer(agency: Agency, ticket: Ticket) -> str:
    return _("Reply to this e-mail to add to your ticket; keep %(reference)s in the subject.") % {
        "reference": reference(agency, ticket.pk)
    }


def notify_requester(agency: Agency, ticket: Ticket, message: TicketMessage) -> str | None:
    """Mail the requester about `message`; returns the Message-ID sent, or None when nothing
    is due.

    - Someone else's public message (an agent's reply): the text, threaded to the ticket; its
      Message-ID is stored on the message, and a message that has one is not mailed again.
    - The opening message of a ticket the requester sent by e-mail: an acknowledgement that
      gives them the ticket's reference.
    - Internal notes, the requester's other messages and requesters without an address: none.
    """
    with tenant_context(agency):
        if message.is_internal:
            return None
        ticket = Ticket.objects.select_related("requester").get(pk=ticket.pk)
        address = normalise_email(ticket.requester.email)
        if not address:
            return None
        requester = ticket.requester
        own = message.author_person_id == requester.pk or (
            message.author_id is not None and message.author_id == requester.user_id
        )
        opening = not TicketMessage.objects.filter(ticket=ticket, pk__lt=message.pk).exists()
        thread = list(
            TicketMessage.objects.filter(ticket=ticket, pk__lte=message.pk, is_internal=False)
            .exclude(email_message_id="")
            .values_list("email_message_id", flat=True)
        )
        tag = f"sn-{agency.slug}-{ticket.pk}"
        if own:
            if not (opening and ticket.channel == Channel.EMAIL):
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
        return send_mail_later(
            address,
            ticket_subject(agency, ticket, "Re: "),
            "\n\n".join([message.body, "-- ", _footer(agency, ticket)]),
            message_id=message_id,
            in_reply_to=earlier[-1] if earlier else "",
            references=earlier,
        )


def notify_resolved(agency: Agency, ticket: Ticket) -> str | None:
    """Tell the requester their ticket is resolved (reference in the subject)."""
    with tenant_context(agency):
        ticket = Ticket.objects.select_related("requester").get(pk=ticket.pk)
        address = normalise_email(ticket.requester.email)
        if not address:
            return None
        thread = list(
            ticket.messages.filter(is_internal=False)
            .exclude(email_message_id="")
            .values_list("email_message_id", flat=True)
        )
    days = int(getattr(settings, "SAMNAV_REOPEN_DAYS", 14))
    body = "\n\n".join(
        [
            _("Your ticket %(reference)s is resolved.")
            % {"reference": reference(agency, ticket.pk)},
            _("If the matter is not solved, reply within %(days)s days and we will reopen it.")
            % {"days": days},
        ]
    )
    return send_mail_later(
        address,
        ticket_subject(agency, ticket, _("Resolved: ")),
        body,
        message_id=new_message_id(f"sn-{agency.slug}-{ticket.pk}"),
        in_reply_to=thread[-1] if thread else "",
        references=thread,
    )


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
    ]
    return send_mail_later(
        to,
        _("Attachments not kept %(reference)s") % {"reference": reference(agency, ticket_id)},
        "\n\n".join([lines[0], "\n".join(lines[1:-1]), lines[-1]]),
        auto="auto-replied",
    )
