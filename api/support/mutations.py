"""Mutations of support. Each calls one action of services/support."""

from __future__ import annotations

import base64
import binascii

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user
from api.core.refs import agency_of_host, agency_row_ref, local_id
from api.support.types import KindEnum, TicketNode, TicketStateEnum
from services.support import actions
from services.support.errors import SupportErrorCode
from services.support.models import Channel
from services.support.selectors import load_ticket


class AttachmentInput(graphene.InputObjectType):
    filename = graphene.String(required=True)
    content_base64 = graphene.String(required=True)


def decode_files(files, field="attachments") -> list[tuple[str, bytes]]:
    out = []
    for i, f in enumerate(files or []):
        try:
            out.append((f.filename, base64.b64decode(f.content_base64, validate=True)))
        except (binascii.Error, ValueError) as exc:
            raise ValidationError(
                {
                    f"{field}.{i}": ValidationError(
                        _("Not valid base64."), code=SupportErrorCode.INVALID
                    )
                }
            ) from exc
    return out


class SupportMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = SupportErrorCode
    error_type_name = "SupportError"

    ticket = graphene.Field(TicketNode)

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles


class OpenTicketInput(graphene.InputObjectType):
    subject = graphene.String(required=True)
    description = graphene.String(default_value="")
    kind = KindEnum(default_value="incident")
    impact = graphene.Int(default_value=2, description="1 high, 2 medium, 3 low")
    urgency = graphene.Int(default_value=2, description="1 high, 2 medium, 3 low")
    service = graphene.ID()
    offering = graphene.ID()
    requester = graphene.ID(description="A Person; admins only. Default: yourself.")
    device = graphene.ID(description="A Device of the agency this is about.")
    order = graphene.ID()
    subscription = graphene.ID()
    attachments = graphene.List(graphene.NonNull(AttachmentInput))


class OpenTicket(SupportMutation):
    """Ask for help (the agency of this host)."""

    class Arguments:
        input = OpenTicketInput(required=True)

    @classmethod
    def perform(cls, info, input):
        agency, actor = agency_of_host(info), current_user(info)
        requester = actions.requester_for(
            agency,
            actor,
            local_id(input.requester, "Person", "requester") if input.requester else None,
        )
        data = actions.NewTicket(
            subject=input.subject,
            description=input.description,
            kind=getattr(input.kind, "value", input.kind),
            impact=input.impact,
            urgency=input.urgency,
            service_id=local_id(input.service, "Service", "service") if input.service else None,
            offering_id=(
                local_id(input.offering, "Offering", "offering") if input.offering else None
            ),
            attachments=decode_files(input.attachments),
            device_id=local_id(input.device, "Device", "device") if input.device else None,
            order_id=local_id(input.order, "Order", "order") if input.order else None,
            subscription_id=(
                local_id(input.subscription, "Subscription", "subscription")
                if input.subscription
                else None
            ),
        )
        ticket = actions.open_ticket(agency, requester, data, channel=Channel.API, actor=actor)
        return {"ticket": load_ticket(agency, ticket.pk)}


class AddTicketMessage(SupportMutation):
    class Arguments:
        ticket = graphene.ID(required=True)
        body = graphene.String(required=True)
        internal = graphene.Boolean(default_value=False, description="A note for central IT only.")
        attachments = graphene.List(graphene.NonNull(AttachmentInput))

    @classmethod
    def perform(cls, info, ticket, body, internal, attachments=None):
        agency, pk = agency_row_ref(info, ticket, "Ticket", "ticket")
        actions.add_message(
            agency,
            pk,
            body=body,
            channel=Channel.API,
            actor=current_user(info),
            internal=internal,
            attachments=decode_files(attachments),
        )
        return {"ticket": load_ticket(agency, pk)}


class AssignTicket(SupportMutation):
    class Arguments:
        ticket = graphene.ID(required=True)
        assignee = graphene.String(description="An agent's username; empty to unassign.")
        group = graphene.String()

    @classmethod
    def perform(cls, info, ticket, assignee=None, group=None):
        from tenants.models import User

        agency, pk = agency_row_ref(info, ticket, "Ticket", "ticket")
        assignee_id = None
        if assignee:
            user = User.objects.filter(username=assignee, is_active=True).first()
            if user is None:
                raise ValidationError(
                    {
                        "assignee": ValidationError(
                            _("No such agent."), code=SupportErrorCode.NOT_FOUND
                        )
                    }
                )
            assignee_id = user.pk
        actions.assign_ticket(agency, current_user(info), pk, assignee_id=assignee_id, group=group)
        return {"ticket": load_ticket(agency, pk)}


class ChangeTicketState(SupportMutation):
    class Arguments:
        ticket = graphene.ID(required=True)
        state = TicketStateEnum(required=True)
        reason = graphene.String(default_value="")

    @classmethod
    def perform(cls, info, ticket, state, reason):
        agency, pk = agency_row_ref(info, ticket, "Ticket", "ticket")
        actions.change_state(agency, current_user(info), pk, getattr(state, "value", state), reason)
        return {"ticket": load_ticket(agency, pk)}


class ReprioritiseTicket(SupportMutation):
    """Central IT: new impact, urgency or offering; the clocks keep the time counted."""

    class Arguments:
        ticket = graphene.ID(required=True)
        impact = graphene.Int()
        urgency = graphene.Int()
        offering = graphene.ID()
        reason = graphene.String(default_value="")

    @classmethod
    def perform(cls, info, ticket, impact=None, urgency=None, offering=None, reason=""):
        agency, pk = agency_row_ref(info, ticket, "Ticket", "ticket")
        actions.reprioritise(
            agency,
            current_user(info),
            pk,
            impact=impact,
            urgency=urgency,
            offering_id=local_id(offering, "Offering", "offering") if offering else None,
            reason=reason,
        )
        return {"ticket": load_ticket(agency, pk)}


class SupportMutations(graphene.ObjectType):
    open_ticket = OpenTicket.Field()
    add_ticket_message = AddTicketMessage.Field()
    assign_ticket = AssignTicket.Field()
    change_ticket_state = ChangeTicketState.Field()
    reprioritise_ticket = ReprioritiseTicket.Field()
