"""Reading tickets for display: one ticket with everything its page or type reads, loaded
inside its agency's schema (so it can be shown from the central host too), and the subject
and requester of a page of the queue, read from many agency schemas in one query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django_tenants.utils import tenant_context

from services.support.models import Ticket, TicketLink
from tenants.models import Agency, AgencyState


def load_ticket(agency: Agency, pk: int) -> Ticket | None:
    with tenant_context(agency):
        ticket = (
            Ticket.objects.select_related("requester", "service", "device")
            .prefetch_related("messages__attachments", "messages__author_person", "clock_events")
            .filter(pk=pk)
            .first()
        )
    if ticket is not None:
        ticket._samnav_agency = agency
    return ticket


@dataclass(frozen=True)
class QueueLine:
    """What the index does not hold of a queued ticket (personal data and text stay in the
    agency's schema): its subject and its requester's name."""

    subject: str
    requester: str


def queue_lines(
    entries: Iterable[tuple[Agency, int]],
) -> dict[tuple[int, int], QueueLine]:
    """(agency id, ticket id) -> subject and requester, for a page of the queue: one SQL query
    (a UNION ALL over the agencies on the page, as services/support/senders.py reads people),
    whatever the number of agencies or tickets."""
    wanted: dict[int, tuple[Agency, list[int]]] = {}
    for agency, local_id in entries:
        if agency.state == AgencyState.OFFBOARDED:
            continue  # its schema is dropped (services/agencies/offboarding.py)
        wanted.setdefault(agency.pk, (agency, []))[1].append(local_id)
    if not wanted:
        return {}
    parts, params = [], []
    for agency, ids in wanted.values():
        # Schema names come from the Agency rows (validated at onboarding), not from input.
        parts.append(
            f'SELECT %s, t.id, t.subject, p.name FROM "{agency.schema_name}".support_ticket t '  # noqa: S608
            f'JOIN "{agency.schema_name}".people_person p ON p.id = t.requester_id '
            "WHERE t.id = ANY(%s)"
        )
        params += [agency.pk, ids]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return {(a, t): QueueLine(subject, name) for a, t, subject, name in rows}


def linked_tickets(ticket: Ticket) -> list[Ticket]:
    """The tickets linked to `ticket` (either end of the link), inside its agency's schema."""
    ids = set(TicketLink.objects.filter(ticket=ticket).values_list("other_id", flat=True)) | set(
        TicketLink.objects.filter(other=ticket).values_list("ticket_id", flat=True)
    )
    return list(Ticket.objects.filter(pk__in=ids).order_by("pk"))
