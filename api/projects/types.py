"""GraphQL types of joint projects.

Who sees which project: services/projects/policies.py. A participant sees the other
participants' names and shares; agency names are public facts, not personal data.

Nested shares and milestones come from what the list loaded (prefetched by `load`), so a
list costs the same number of SQL queries for 2 projects as for 50.
"""

from __future__ import annotations

from decimal import Decimal

import graphene
from django.db.models import Prefetch
from graphene import relay
from graphql_relay import to_global_id

from api.core.money import Ore
from api.core.permissions import host_agency
from api.core.types import CountedConnection, SamnavObjectType
from services.projects import policies
from services.projects.apportion import percentages
from services.projects.models import Milestone, Project, ProjectShare, ProjectState, ShareBasis

ProjectStateEnum = graphene.Enum.from_enum(ProjectState, name="JointProjectState")
ShareBasisEnum = graphene.Enum.from_enum(ShareBasis, name="ShareBasis")


class ProjectParticipant(graphene.ObjectType):
    """An agency's agreed share of a joint project."""

    agency_id = graphene.ID(required=True, description="The agency's id (an Agency node id).")
    agency_name = graphene.String(required=True)
    agency_slug = graphene.String(required=True)
    weight = graphene.Decimal(required=True, description="The agreed weight (or percentage).")
    percent = graphene.Decimal(
        required=True,
        description="Weight / total weight as a percent with two decimals; the participants' "
        "percents sum to exactly 100.00 (largest remainder). 0.00 when no weight is above zero.",
    )

    @staticmethod
    def rows(project) -> list[ProjectParticipant]:
        shares = sorted(project.shares.all(), key=lambda s: (s.agency.name, s.agency_id))
        weights = {s.agency_id: s.weight for s in shares}
        positive = sum(weights.values()) > 0
        percent = percentages(weights) if positive else dict.fromkeys(weights, Decimal("0.00"))
        return [
            ProjectParticipant(
                agency_id=to_global_id("Agency", s.agency_id),
                agency_name=s.agency.name,
                agency_slug=s.agency.slug,
                weight=s.weight,
                percent=percent[s.agency_id],
            )
            for s in shares
        ]


class MilestoneNode(SamnavObjectType):
    is_done = graphene.Boolean(required=True)

    class Meta:
        model = Milestone
        name = "Milestone"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "name", "due_on", "done_on")

    policy = staticmethod(policies.milestones)

    def resolve_is_done(self, info):
        return self.done_on is not None


class JointProjectNode(SamnavObjectType):
    """A project several agencies run together; its costs are split by the agreed shares."""

    budget_ore = Ore(required=True, description="Budget in öre (SEK/100).")
    state = graphene.Field(ProjectStateEnum, required=True)
    share_basis = graphene.Field(
        ShareBasisEnum, required=True, description="Whether shares were agreed as weights or %."
    )
    shares = graphene.List(
        graphene.NonNull(ProjectParticipant),
        required=True,
        description="Every participant and its agreed share, by agency name.",
    )
    total_weight = graphene.Decimal(required=True, description="The sum of the weights.")
    my_share = graphene.Field(
        ProjectParticipant, description="On an agency host: your agency's share."
    )
    milestones = graphene.List(
        graphene.NonNull(MilestoneNode), required=True, description="By due date."
    )

    class Meta:
        model = Project
        name = "JointProject"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "name", "purpose", "starts_on", "ends_on", "created_at")

    policy = staticmethod(policies.projects)

    @classmethod
    def load(cls, queryset, info):
        shares = ProjectShare.objects.select_related("agency")
        milestones = Milestone.objects.order_by("due_on", "id")
        return queryset.prefetch_related(
            Prefetch("shares", queryset=shares), Prefetch("milestones", queryset=milestones)
        )

    def resolve_state(self, info):
        return self.state

    def resolve_share_basis(self, info):
        return self.share_basis

    def resolve_shares(self, info):
        return ProjectParticipant.rows(self)

    def resolve_total_weight(self, info):
        return sum((s.weight for s in self.shares.all()), start=Decimal(0))

    def resolve_my_share(self, info):
        agency = host_agency(info)
        if agency is None:
            return None
        own = to_global_id("Agency", agency.pk)
        return next((p for p in ProjectParticipant.rows(self) if p.agency_id == own), None)

    def resolve_milestones(self, info):
        return sorted(self.milestones.all(), key=lambda m: (m.due_on, m.pk))
