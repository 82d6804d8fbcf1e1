"""Who acts on tickets: central IT's agents, and whom a ticket is opened for or written on by
(the rules themselves are in services/support/policies.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.people.models import Person
from services.support import policies
from services.support.errors import SupportErrorCode as Code
from services.support.models import Ticket, TicketFollower
from services.validation import field_error
from tenants.models import Agency, User
from tenants.viewer import Viewer


def is_agent(actor: User | None) -> bool:
    return policies.works_tickets_anywhere(Viewer.of(actor))


def requester_for(agency: Agency, actor: User, requester_id: int | None = None) -> Person:
    """Staff open tickets for themselves; the agency's admins and agents for anyone."""
    viewer = Viewer.of(actor, agency)
    with tenant_context(agency):
        if requester_id is not None and policies.acts_for_anyone(viewer):
            person = Person.objects.filter(pk=requester_id).first()
        elif policies.is_member(viewer):
            person = Person.objects.filter(user_id=actor.pk).first()
        else:
            raise PermissionDenied(_("You have no role in this agency."))
    if person is None:
        raise field_error("requester", _("No such person in the agency."), Code.NOT_FOUND)
    return person


def may_write(agency: Agency, ticket: Ticket, actor: User | None, person: Person | None) -> None:
    """Agents write on any ticket; the agency's admins on its tickets; anyone else only on
    their own or one they follow (a channel adapter passes the sender as `person`)."""
    if actor is not None and policies.acts_for_anyone(Viewer.of(actor, agency)):
        return
    requester_id = ticket.requester_id
    if person is not None and person.pk == requester_id:
        return
    if person is not None and TicketFollower.objects.filter(ticket=ticket, person=person).exists():
        return  # a colleague following the ticket (actions/followers.py)
    if actor is not None and Person.objects.filter(pk=requester_id, user_id=actor.pk).exists():
        return
    raise PermissionDenied(_("This is not your ticket."))


def identity(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()
