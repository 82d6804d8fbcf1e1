"""Builders for the joint-project tests (plain ORM rows, no actions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from graphql_relay import to_global_id

from services.projects.models import Milestone, Project, ProjectShare, ProjectState


def gid(type_name: str, obj) -> str:
    return to_global_id(type_name, obj.pk)


def make_project(
    name: str,
    shares: dict | None = None,
    *,
    state: str = ProjectState.ACTIVE,
    budget_ore: int = 1_000_000_00,
    milestones: int = 0,
) -> Project:
    """A project with `shares` ({agency: weight}) and `milestones` open milestones."""
    project = Project.objects.create(name=name, budget_ore=budget_ore, state=state)
    for agency, weight in (shares or {}).items():
        ProjectShare.objects.create(project=project, agency=agency, weight=Decimal(weight))
    for i in range(milestones):
        Milestone.objects.create(
            project=project, name=f"{name} step {i}", due_on=dt.date(2027, 1, 1 + i)
        )
    return project
