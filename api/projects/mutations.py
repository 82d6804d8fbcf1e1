"""Mutations of joint projects, for finance and platform admins on the central host. Each
calls one action of services/projects/actions/."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphql_relay import from_global_id

from api.core.money import Ore
from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, require_central_for_mutation
from api.projects.types import JointProjectNode, MilestoneNode, ProjectStateEnum, ShareBasisEnum
from services.projects import actions
from services.projects.errors import ProjectErrorCode
from services.projects.models import Project
from services.validation import field_error
from tenants.roles import FINANCE_OFFICERS


def _pk_or_none(global_id, type_name: str) -> int | None:
    try:
        type_found, pk = from_global_id(global_id or "")
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    return int(pk) if type_found == type_name and pk.isdigit() else None


def _pk(global_id, type_name: str, field: str) -> int:
    pk = _pk_or_none(global_id, type_name)
    if pk is None:
        raise field_error(
            field, _("Not a %(type)s id.") % {"type": type_name}, ProjectErrorCode.NOT_FOUND
        )
    return pk


def _data(input_obj) -> dict:
    """Only the fields the caller sent (an explicit null included)."""
    return {key: getattr(value, "value", value) for key, value in dict(input_obj).items()}


class ProjectsMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = ProjectErrorCode
    error_type_name = "ProjectError"

    @classmethod
    def check_permission(cls, info):
        require_central_for_mutation(info, *FINANCE_OFFICERS)


class JointProjectCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    purpose = graphene.String()
    budget_ore = Ore(required=True, description="Budget in öre (SEK/100).")
    starts_on = graphene.Date()
    ends_on = graphene.Date()


class JointProjectUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    purpose = graphene.String()
    budget_ore = Ore()
    starts_on = graphene.Date()
    ends_on = graphene.Date()
    state = ProjectStateEnum(
        description="proposed → active | cancelled; active → paused | completed | cancelled; "
        "paused → active | cancelled. Active needs a share above zero."
    )


class ProjectShareInput(graphene.InputObjectType):
    agency = graphene.ID(required=True, description="An Agency id.")
    share = graphene.Decimal(required=True, description="The weight, or the percentage.")


class CreateJointProject(ProjectsMutation):
    """A new joint project, proposed. Its shares are set with setProjectShares."""

    class Arguments:
        input = JointProjectCreateInput(required=True)

    project = graphene.Field(JointProjectNode)

    @classmethod
    def perform(cls, info, input):
        return {"project": actions.create_project(current_user(info), **_data(input))}


class UpdateJointProject(ProjectsMutation):
    """Change the fields sent (the state included); the others keep their values."""

    class Arguments:
        id = graphene.ID(required=True)
        input = JointProjectUpdateInput(required=True)

    project = graphene.Field(JointProjectNode)

    @classmethod
    def perform(cls, info, id, input):
        project = actions.update_project(
            current_user(info), _pk(id, "JointProject", "id"), **_data(input)
        )
        return {"project": project}


class SetProjectShares(ProjectsMutation):
    """Replace the participants and their shares: weights (non-negative, a positive sum) or
    percentages (summing to exactly 100)."""

    class Arguments:
        project = graphene.ID(required=True)
        basis = ShareBasisEnum(required=True)
        shares = graphene.List(graphene.NonNull(ProjectShareInput), required=True)

    project = graphene.Field(JointProjectNode)

    @classmethod
    def perform(cls, info, project, basis, shares):
        pk = _pk(project, "JointProject", "project")
        rows = [{"agency": _pk_or_none(row.agency, "Agency"), "share": row.share} for row in shares]
        actions.set_shares(current_user(info), pk, rows, basis=getattr(basis, "value", basis))
        return {"project": Project.objects.get(pk=pk)}


class AddMilestone(ProjectsMutation):
    class Arguments:
        project = graphene.ID(required=True)
        name = graphene.String(required=True)
        due_on = graphene.Date(required=True)

    milestone = graphene.Field(MilestoneNode)

    @classmethod
    def perform(cls, info, project, name, due_on):
        milestone = actions.add_milestone(
            current_user(info), _pk(project, "JointProject", "project"), name=name, due_on=due_on
        )
        return {"milestone": milestone}


class CompleteMilestone(ProjectsMutation):
    """Mark a milestone done (today unless `doneOn` says an earlier day)."""

    class Arguments:
        milestone = graphene.ID(required=True)
        done_on = graphene.Date()

    milestone = graphene.Field(MilestoneNode)

    @classmethod
    def perform(cls, info, milestone, done_on=None):
        milestone = actions.complete_milestone(
            current_user(info), _pk(milestone, "Milestone", "milestone"), done_on=done_on
        )
        return {"milestone": milestone}


class ProjectsMutations(graphene.ObjectType):
    create_joint_project = CreateJointProject.Field()
    update_joint_project = UpdateJointProject.Field()
    set_project_shares = SetProjectShares.Field()
    add_milestone = AddMilestone.Field()
    complete_milestone = CompleteMilestone.Field()
