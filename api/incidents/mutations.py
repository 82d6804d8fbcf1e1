"""Mutations of major incidents and replacement proposals: each calls one domain action."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, require_central_for_mutation
from api.core.refs import agency_of_host, local_id
from api.incidents.types import MajorIncidentNode, ReplacementProposalNode
from api.ordering.refs import load_order
from api.ordering.types import OrderNode
from services.devices.replacements import actions as lifecycle
from services.devices.replacements.errors import LifecycleErrorCode
from services.incidents import actions as incidents
from services.incidents.errors import IncidentErrorCode
from services.incidents.models import MajorIncident
from tenants.roles import SERVICE_DESK


class ResolveMajorIncident(SamnavMutation):
    """Resolve a major incident (central service desk): the note is posted to every linked
    ticket, which are resolved too when `resolveTickets` is set."""

    class Meta:
        error_codes = IncidentErrorCode
        error_type_name = "IncidentError"

    class Arguments:
        incident = graphene.ID(required=True)
        note = graphene.String(required=True, description="What was wrong and what was done.")
        resolve_tickets = graphene.Boolean(default_value=False)

    incident = graphene.Field(MajorIncidentNode)

    @classmethod
    def check_permission(cls, info):
        require_central_for_mutation(info, *SERVICE_DESK)

    @classmethod
    def perform(cls, info, incident, note, resolve_tickets):
        pk = local_id(incident, "MajorIncident", "incident")
        incidents.resolve_incident(
            current_user(info), pk, note=note, resolve_tickets=resolve_tickets
        )
        return {"incident": MajorIncident.objects.select_related("service").get(pk=pk)}


class LifecycleMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = LifecycleErrorCode
    error_type_name = "LifecycleError"

    proposal = graphene.Field(ReplacementProposalNode)

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles


class AcceptReplacementProposal(LifecycleMutation):
    """Order the replacement (agency admins, on the agency's host), by the ordering rules."""

    class Arguments:
        proposal = graphene.ID(required=True)
        request_budget_override = graphene.Boolean(
            default_value=False,
            description="Over budget: send the order to finance instead of refusing it.",
        )

    order = graphene.Field(OrderNode)

    @classmethod
    def perform(cls, info, proposal, request_budget_override):
        agency = agency_of_host(info)
        pk = local_id(proposal, "ReplacementProposal", "proposal")
        accepted = lifecycle.accept_proposal(
            agency, current_user(info), pk, request_budget_override=request_budget_override
        )
        return {"proposal": accepted, "order": load_order(agency, accepted.order_id)}


class DismissReplacementProposal(LifecycleMutation):
    class Arguments:
        proposal = graphene.ID(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, proposal, reason):
        agency = agency_of_host(info)
        pk = local_id(proposal, "ReplacementProposal", "proposal")
        return {"proposal": lifecycle.dismiss_proposal(agency, current_user(info), pk, reason)}


class IncidentsMutations(graphene.ObjectType):
    resolve_major_incident = ResolveMajorIncident.Field()
    accept_replacement_proposal = AcceptReplacementProposal.Field()
    dismiss_replacement_proposal = DismissReplacementProposal.Field()
