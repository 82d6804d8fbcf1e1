"""Threading an inbound mail onto its ticket, and its CC (email_in.py's rules).

- `thread`: the ticket a mail answers, and whether its headers prove the sender got the
  thread (a stored Message-ID of the ticket, or one of our own that names it).
- `reply`: file it there as the requester's, a follower's, or a colleague's of the agency.
- `copied`: known people of the agency in the CC follow the ticket; the rest are noted.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from services.outbox.mail import support_address
from services.people.contact import normalise_email
from services.people.models import Person
from services.support import actions, email_out
from services.support.models import Channel, Ticket, TicketMessage
from tenants.models import Agency

log = logging.getLogger("samnav.support.email")


def cc_addresses(headers: Sequence[Any]) -> list[str]:
    """The addresses of address headers (Cc), normalised, in order, once each."""
    found: list[str] = []
    for header in headers:
        for address in getattr(header, "addresses", ()) or ():
            value = normalise_email(address.addr_spec)
            if value and value not in found:
                found.append(value)
    return found


def thread(agency: Agency, subject: str, ids: list[str]) -> tuple[int | None, bool]:
    """The ticket this mail answers, in the sender's agency, and whether its headers prove the
    sender got the thread: In-Reply-To or References naming a stored message of the ticket or
    one of our own Message-IDs for it; else the reference in the subject (no proof)."""
    if ids:
        stored = (
            TicketMessage.objects.filter(email_message_id__in=ids)
            .order_by("-created_at", "-id")
            .values_list("ticket_id", flat=True)
            .first()
        )
        if stored is not None:
            return stored, True
        for value in ids:
            ours = email_out.ticket_of_message_id(value)
            if ours is not None and ours[0] == agency.slug:
                return ours[1], True
    ref = email_out.find_reference(subject)
    if ref is not None and ref[0] == agency.slug:
        return ref[1], False
    return None, False


def reply(
    agency: Agency,
    person: Person,
    ticket_id: int,
    proven: bool,
    text: str,
    message_id: str,
    kept: list[tuple[str, bytes]],
) -> TicketMessage | None:
    """Add the mail to its ticket, or None when it cannot go there (closed, not found, not the
    sender's to write on)."""
    try:
        with transaction.atomic():
            ticket = Ticket.objects.filter(pk=ticket_id).first()
            if ticket is None:
                return None
            colleague = person.pk != ticket.requester_id and not actions.is_follower(ticket, person)
            if colleague and proven:
                actions.follow(agency, ticket, person, Channel.EMAIL)
            return actions.add_message(
                agency,
                ticket_id,
                body=text or _("(no text)"),
                channel=Channel.EMAIL,
                person=person,
                attachments=kept,
                email_message_id=message_id,
                colleague=colleague and not proven,
            )
    except (ValidationError, PermissionDenied) as exc:
        log.info("reply to ticket %s filed as a new ticket: %s", ticket_id, exc)
        return None


def copied(agency: Agency, ticket: Ticket, sender: str, cc: list[str]) -> None:
    """Known people of the agency in the CC follow the ticket; the rest are noted, not added."""
    ours = {support_address().lower(), sender}
    added, ignored = [], []
    for address in cc:
        if address in ours:
            continue
        people = list(Person.objects.filter(email__iexact=address, is_active=True)[:2])
        if len(people) == 1 and people[0].pk != ticket.requester_id:
            if actions.follow(agency, ticket, people[0], Channel.EMAIL):
                added.append(people[0].name)
        elif len(people) != 1:
            ignored.append(address)
    actions.note_cc(agency, ticket, added, ignored)
