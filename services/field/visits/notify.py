"""Telling the requester about their visit, on their channel, and noting it on the ticket.

The channel: a ticket that came by SMS is answered by SMS (when the requester has a phone
number); otherwise by e-mail (when they have an address). Either way the text is also added to
the ticket as a public message (support's `add_message`), with a Message-ID stored on it, so
support's own mailer does not send it a second time. Sent after the transaction commits.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from services.field.visits.models import Visit
from services.outbox.mail import new_message_id
from services.outbox.queue import send_mail_later, send_sms_later
from services.people.contact import normalise_email, normalise_phone
from services.people.models import Person
from services.support import actions as support
from services.support import email_out
from services.support.models import Channel, Ticket
from tenants.models import Agency, User


def channel_for(ticket: Ticket, person: Person) -> tuple[str, str]:
    """(channel, address): ("sms", phone), ("email", address) or ("web", "")."""
    phone = normalise_phone(person.phone)
    email = normalise_email(person.email)
    if ticket.channel == Channel.SMS and phone:
        return Channel.SMS, phone
    if email:
        return Channel.EMAIL, email
    if phone:
        return Channel.SMS, phone
    return Channel.WEB, ""


def dispatched_text(agency: Agency, visit: Visit, ticket: Ticket) -> str:
    start = timezone.localtime(visit.confirmed_start)
    end = timezone.localtime(visit.confirmed_end)
    return _(
        "A technician will visit you on %(date)s between %(start)s and %(end)s about your "
        "ticket %(reference)s."
    ) % {
        "date": f"{start:%Y-%m-%d}",
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
        "reference": email_out.reference(agency, ticket.pk),
    }


def tell_requester(
    agency: Agency,
    ticket: Ticket,
    person: Person,
    actor: User | None,
    text: str,
    subject_prefix: str,
) -> str:
    """Note `text` on the ticket and send it to the requester; returns the channel used.
    Call inside the agency's schema and the transaction of the change."""
    channel, address = channel_for(ticket, person)
    # A stored Message-ID marks the message as delivered: support's mailer skips it.
    message_id = new_message_id(f"sn-{agency.slug}-{ticket.pk}")
    support.add_message(
        agency,
        ticket.pk,
        body=text,
        channel=channel,
        actor=actor,
        email_message_id=message_id,
    )
    if channel == Channel.SMS:
        send_sms_later(address, text)
    elif channel == Channel.EMAIL:
        send_mail_later(
            address,
            email_out.ticket_subject(agency, ticket, subject_prefix),
            text,
            message_id=message_id,
        )
    return channel
