"""Queries of joint projects: the list (`jointProjects`) and one project (`jointProject`)."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphene import relay
from graphene_django import DjangoConnectionField
from graphql import GraphQLError

from api.core.permissions import require_user, viewer
from api.projects.types import JointProjectNode, ProjectStateEnum
from services.projects import policies
from services.projects.models import Project


def require_project_reader(info):
    """Central roles on the central host; the agency's members on its host."""
    user = require_user(info)
    if not policies.reads_projects(viewer(info)):
        raise GraphQLError(
            _("Joint projects are for central IT and the participating agencies."),
            extensions={"code": "FORBIDDEN"},
        )
    return user


class ProjectsQueries(graphene.ObjectType):
    joint_projects = DjangoConnectionField(
        JointProjectNode,
        state=graphene.Argument(ProjectStateEnum),
        description="Joint projects by name: all of them for central IT; on an agency's host, "
        "those the agency takes part in.",
    )
    joint_project = relay.Node.Field(JointProjectNode, description="One joint project.")

    def resolve_joint_projects(self, info, state=None, **kwargs):
        require_project_reader(info)
        qs = Project.objects.order_by("name", "pk")
        if state is not None:
            qs = qs.filter(state=getattr(state, "value", state))
        return qs
