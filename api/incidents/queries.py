"""Queries of major incidents (central IT, and each agency's admins for what concerns them)
and of replacement proposals (the agency's admins, on its host)."""

import graphene
from graphene import relay
from graphene_django import DjangoConnectionField

from api.incidents.types import (
    IncidentStateEnum,
    MajorIncidentNode,
    ProposalStateEnum,
    ReplacementProposalNode,
)
from services.devices.replacements.models import ReplacementProposal
from services.incidents.models import MajorIncident


class IncidentsQueries(graphene.ObjectType):
    major_incidents = DjangoConnectionField(
        MajorIncidentNode,
        state=IncidentStateEnum(),
        description="Central IT: every major incident. An agency's admins: those of services "
        "it subscribes to or reported, with only its own tickets.",
    )
    major_incident = relay.Node.Field(MajorIncidentNode)
    replacement_proposals = DjangoConnectionField(
        ReplacementProposalNode,
        state=ProposalStateEnum(),
        description="Devices due for replacement (the agency's admins, on its host).",
    )

    def resolve_major_incidents(self, info, state=None, **kwargs):
        qs = MajorIncident.objects.order_by("-opened_at", "-id")
        return qs.filter(state=getattr(state, "value", state)) if state else qs

    def resolve_replacement_proposals(self, info, state=None, **kwargs):
        qs = ReplacementProposal.objects.order_by("due_on", "id")
        return qs.filter(state=getattr(state, "value", state)) if state else qs
