"""Followers of a ticket: colleagues of the requester, in the same agency, who get its public
replies and may write on it. E-mail adds them from the CC of the requester's mail and from a
reply that proves it belongs to the thread (channels/email_in.py)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.people.models import Person
from services.support.models import Channel, Ticket, TicketFollower, TicketMessage
from tenants.models import Agency


def follow(agency: Agency, ticket: Ticket, person: Person, channel: str) -> bool:
    """Make `person` (of `agency`) a follower of `ticket`; True when they were not one. The
    requester and a deactivated person are never added."""
    if person.pk == ticket.requester_id or not person.is_active:
        return False
    with tenant_context(agency):
        try:
            with transaction.atomic():
                TicketFollower.objects.create(ticket=ticket, person=person, channel=channel)
        except IntegrityError:  # a follower already: once per ticket and person
            return False
    return True


def is_follower(ticket: Ticket, person: Person | None) -> bool:
    """Asked inside the agency's schema."""
    if person is None:
        return False
    return TicketFollower.objects.filter(ticket=ticket, person=person).exists()


def note_cc(agency: Agency, ticket: Ticket, added: list[str], ignored: list[str]) -> None:
    """An internal note that tells agents what the CC of a mail did (nothing when it did
    nothing). Inside the agency's schema."""
    body = _cc_note(added, ignored)
    if body:
        TicketMessage.objects.create(
            ticket=ticket, channel=Channel.EMAIL, body=body, is_internal=True
        )


def _cc_note(added: list[str], ignored: list[str]) -> str:
    lines = []
    if added:
        lines.append(_("Added as followers from the CC: %(names)s.") % {"names": ", ".join(added)})
    if ignored:
        lines.append(
            _("Not added from the CC (not staff of this agency): %(addresses)s.")
            % {"addresses": ", ".join(ignored)}
        )
    return "\n".join(lines)
