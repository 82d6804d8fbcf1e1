"""Tickets about the same thing: a duplicate merged into another ticket of its agency (closed,
pointing on, its requester told, its followers moved), and related tickets linked."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from config.celery import enqueue_on_commit
from services.audit.actions import record_event
from services.support import clocks, tasks
from services.support.actions.access import is_agent
from services.support.actions.rows import lock_ticket
from services.support.actions.states import set_state
from services.support.errors import SupportErrorCode as Code
from services.support.models import (
    Channel,
    Ticket,
    TicketFollower,
    TicketLink,
    TicketMessage,
    TicketState,
)
from services.validation import clean_text, field_error
from tenants.models import Agency, User

REASON_MAX_LENGTH = 200  # a clock event's reason


def _two(ticket_id: int, other_id: int, field: str) -> tuple[Ticket, Ticket]:
    """Both tickets locked, in id order (two agents merging crosswise cannot deadlock)."""
    if ticket_id == other_id:
        raise field_error(field, _("Choose another ticket than this one."), Code.INVALID)
    rows = Ticket.objects.select_for_update().filter(pk__in=(ticket_id, other_id)).order_by("pk")
    found = {row.pk: row for row in rows}
    if ticket_id not in found:
        raise field_error("ticket", _("No such ticket."), Code.NOT_FOUND)
    if other_id not in found:
        raise field_error(field, _("No such ticket in this agency."), Code.NOT_FOUND)
    return found[ticket_id], found[other_id]


def merge_ticket(
    agency: Agency, actor: User, duplicate_id: int, into_id: int, reason: str = ""
) -> Ticket:
    """Merge the duplicate into the ticket `into_id` of the same agency: the duplicate is
    closed with `merged_into` set, both get a note, the duplicate's requester is told (a
    public reply, mailed as replies are) and its requester and followers follow the target."""
    if not is_agent(actor):
        raise PermissionDenied(_("Only central IT merges tickets."))
    reason = clean_text("reason", reason)
    if len(reason) > REASON_MAX_LENGTH:
        raise field_error(
            "reason", _("At most %(n)s characters.") % {"n": REASON_MAX_LENGTH}, Code.INVALID
        )
    with tenant_context(agency), transaction.atomic():
        duplicate, target = _two(duplicate_id, into_id, "into")
        for row, field in ((duplicate, "ticket"), (target, "into")):
            if row.merged_into_id is not None or row.state == TicketState.CLOSED:
                raise field_error(
                    field,
                    _("#%(n)s is closed or merged already.") % {"n": row.pk},
                    Code.INVALID_STATE,
                )
        duplicate.merged_into = target
        duplicate.save(update_fields=["merged_into"])
        people = {duplicate.requester_id} | set(
            TicketFollower.objects.filter(ticket=duplicate).values_list("person_id", flat=True)
        )
        people.discard(target.requester_id)
        TicketFollower.objects.bulk_create(
            [TicketFollower(ticket=target, person_id=p, channel=Channel.WEB) for p in people],
            ignore_conflicts=True,
        )
        told = TicketMessage.objects.create(
            ticket=duplicate,
            author_id=actor.pk,
            channel=Channel.WEB,
            body=_("This ticket is merged into #%(n)s (%(subject)s); we continue there.")
            % {"n": target.pk, "subject": target.subject},
        )
        TicketMessage.objects.create(
            ticket=target,
            author_id=actor.pk,
            channel=Channel.WEB,
            is_internal=True,
            body=_("#%(n)s (%(subject)s) is merged into this ticket.")
            % {"n": duplicate.pk, "subject": duplicate.subject}
            + (f" {reason}" if reason else ""),
        )
        set_state(agency, duplicate, TicketState.CLOSED, reason or _("Merged"))
        clocks.index(agency, duplicate)
        clocks.index(agency, target)
        record_event(
            actor, "support.ticket.merge", duplicate, agency=agency, reason=reason, into=target.pk
        )
        enqueue_on_commit(tasks.notify_message, duplicate.pk, told.pk)
    return target


def link_tickets(agency: Agency, actor: User, ticket_id: int, other_id: int) -> TicketLink:
    """Link two related tickets of one agency (once per pair, whichever end asks)."""
    if not is_agent(actor):
        raise PermissionDenied(_("Only central IT links tickets."))
    with tenant_context(agency), transaction.atomic():
        ticket, other = _two(ticket_id, other_id, "other")
        pair = Q(ticket=ticket, other=other) | Q(ticket=other, other=ticket)
        if TicketLink.objects.filter(pair).exists():
            raise field_error("other", _("The tickets are linked already."), Code.INVALID)
        link = TicketLink.objects.create(ticket=ticket, other=other, created_by_id=actor.pk)
        record_event(actor, "support.ticket.link", ticket, agency=agency, other=other.pk)
    return link


def unlink_tickets(agency: Agency, actor: User, ticket_id: int, other_id: int) -> None:
    if not is_agent(actor):
        raise PermissionDenied(_("Only central IT links tickets."))
    with tenant_context(agency), transaction.atomic():
        ticket = lock_ticket(ticket_id)
        pair = Q(ticket_id=ticket_id, other_id=other_id) | Q(ticket_id=other_id, other_id=ticket_id)
        if not TicketLink.objects.filter(pair).delete()[0]:
            raise field_error("other", _("The tickets are not linked."), Code.NOT_FOUND)
        record_event(actor, "support.ticket.unlink", ticket, agency=agency, other=other_id)
