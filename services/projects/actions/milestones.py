"""A joint project's milestones: added while the project is not completed or cancelled, and
marked done (never in the future)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.projects.actions.checks import (
    locked_project,
    pk_of,
    refuse_if_final,
    require_project_writer,
)
from services.projects.errors import ProjectErrorCode as Code
from services.projects.models import Milestone, Project
from services.validation import Errors, a_date, field_error, text
from tenants.models import User


def add_milestone(
    actor: User | None, project: Project | int, *, name: str, due_on: dt.date
) -> Milestone:
    """A new milestone of a project that is not completed or cancelled."""
    require_project_writer(actor)
    with transaction.atomic():
        found = locked_project(project)
        refuse_if_final(found, "project")
        errors = Errors()
        clean_name = text(errors, "name", name, codes=Code, max_length=200)
        day = a_date(errors, "due_on", due_on, codes=Code, required=True)
        errors.raise_if_any()
        assert day is not None  # required: refused above when missing
        milestone = Milestone.objects.create(project=found, name=clean_name, due_on=day)
        record_event(
            actor,
            "projects.milestone.added",
            milestone,
            project_id=found.pk,
            name=[None, clean_name],
            due_on=[None, day.isoformat()],
        )
    return milestone


def complete_milestone(
    actor: User | None, milestone: Milestone | int, *, done_on: dt.date | None = None
) -> Milestone:
    """Mark a milestone done on `done_on` (today when not given; never in the future)."""
    require_project_writer(actor)
    today = timezone.localdate()
    with transaction.atomic():
        try:
            found = (
                Milestone.objects.select_for_update()
                .select_related("project")
                .get(pk=pk_of(milestone))
            )
        except (Milestone.DoesNotExist, ValueError, TypeError) as exc:
            raise field_error("milestone", _("No such milestone."), Code.NOT_FOUND) from exc
        refuse_if_final(found.project, "milestone")
        if found.done_on is not None:
            raise field_error(
                "milestone",
                _("The milestone was already done on %(day)s.") % {"day": found.done_on},
                Code.INVALID_STATE,
            )
        errors = Errors()
        day = a_date(errors, "done_on", done_on, codes=Code, required=False) or today
        errors.raise_if_any()
        if day > today:
            raise field_error(
                "done_on", _("A milestone cannot be done in the future."), Code.OUT_OF_RANGE
            )
        found.done_on = day
        found.save(update_fields=["done_on"])
        record_event(
            actor,
            "projects.milestone.completed",
            found,
            project_id=found.project_id,
            done_on=[None, day.isoformat()],
        )
    return found
