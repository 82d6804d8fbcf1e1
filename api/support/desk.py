"""Mutations of the service desk's ticket page: priority, merging and links. Each calls one
action of services/support; central IT's agents only (the actions check)."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.permissions import current_user
from api.core.refs import agency_row_ref
from api.support.mutations import SupportMutation
from services.support import actions
from services.support.errors import SupportErrorCode
from services.support.selectors import load_ticket


def _pair(info, first: str, second: str, names: tuple[str, str]):
    """The agency and the two local ids of two tickets, which must be of the same agency."""
    agency, first_pk = agency_row_ref(info, first, "Ticket", names[0])
    other, second_pk = agency_row_ref(info, second, "Ticket", names[1])
    if other.pk != agency.pk:
        raise ValidationError(
            {
                names[1]: ValidationError(
                    _("Only tickets of the same agency."), code=SupportErrorCode.INVALID
                )
            }
        )
    return agency, first_pk, second_pk


class SetTicketPriority(SupportMutation):
    """Central IT sets a ticket's priority itself (1 critical .. 4 low), with a reason; the
    clocks keep the time counted and are measured against the new targets."""

    class Arguments:
        ticket = graphene.ID(required=True)
        priority = graphene.Int(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, ticket, priority, reason):
        agency, pk = agency_row_ref(info, ticket, "Ticket", "ticket")
        actions.set_priority(agency, current_user(info), pk, priority, reason)
        return {"ticket": load_ticket(agency, pk)}


class MergeTickets(SupportMutation):
    """Central IT merges a duplicate into another ticket of the same agency: the duplicate is
    closed and points on; the payload is the ticket merged into."""

    class Arguments:
        duplicate = graphene.ID(required=True)
        into = graphene.ID(required=True)
        reason = graphene.String(default_value="")

    @classmethod
    def perform(cls, info, duplicate, into, reason):
        agency, dup_pk, into_pk = _pair(info, duplicate, into, ("duplicate", "into"))
        actions.merge_ticket(agency, current_user(info), dup_pk, into_pk, reason)
        return {"ticket": load_ticket(agency, into_pk)}


class LinkTickets(SupportMutation):
    """Central IT links two related tickets of one agency."""

    class Arguments:
        ticket = graphene.ID(required=True)
        other = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, ticket, other):
        agency, pk, other_pk = _pair(info, ticket, other, ("ticket", "other"))
        actions.link_tickets(agency, current_user(info), pk, other_pk)
        return {"ticket": load_ticket(agency, pk)}


class UnlinkTickets(SupportMutation):
    class Arguments:
        ticket = graphene.ID(required=True)
        other = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, ticket, other):
        agency, pk, other_pk = _pair(info, ticket, other, ("ticket", "other"))
        actions.unlink_tickets(agency, current_user(info), pk, other_pk)
        return {"ticket": load_ticket(agency, pk)}


class DeskMutations(graphene.ObjectType):
    set_ticket_priority = SetTicketPriority.Field()
    merge_tickets = MergeTickets.Field()
    link_tickets = LinkTickets.Field()
    unlink_tickets = UnlinkTickets.Field()
