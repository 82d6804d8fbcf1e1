"""What every project action checks first: who writes, the project (found and locked, and not
in a final state) and dates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from services.projects import policies
from services.projects.errors import ProjectErrorCode as Code
from services.projects.models import Project, ProjectState
from services.validation import field_error
from tenants.models import User
from tenants.viewer import Viewer

FINAL_STATES = frozenset({ProjectState.COMPLETED, ProjectState.CANCELLED})


def require_project_writer(actor: User | None) -> None:
    if actor is not None and not policies.writes_projects(Viewer.of(actor)):
        raise PermissionDenied(_("Only finance or a platform admin may change joint projects."))


def pk_of(ref: object) -> Any:
    """The primary key of a model instance; anything else as given (a pk, or not: the lookup
    refuses what is not one)."""
    return ref.pk if isinstance(ref, models.Model) else ref


def locked_project(ref: Project | int, field: str = "project") -> Project:
    try:
        return Project.objects.select_for_update().get(pk=pk_of(ref))
    except (Project.DoesNotExist, ValueError, TypeError) as exc:
        raise field_error(field, _("No such joint project."), Code.NOT_FOUND) from exc


def refuse_if_final(project: Project, field: str = "state") -> None:
    if project.state in FINAL_STATES:
        raise field_error(
            field,
            _("The project is %(state)s: it can no longer change.")
            % {"state": ProjectState(project.state).label.lower()},
            Code.INVALID_STATE,
        )
