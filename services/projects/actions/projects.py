"""A joint project itself: creating it (proposed) and changing its fields and its state.

States: proposed -> active | cancelled; active -> paused | completed | cancelled;
paused -> active | cancelled. Completed and cancelled are final. A project becomes active only
with at least one share above zero."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.projects.actions.checks import (
    locked_project,
    refuse_if_final,
    require_project_writer,
)
from services.projects.errors import ProjectErrorCode as Code
from services.projects.models import Project, ProjectState
from services.validation import Errors, a_date, amount_ore, field_error, text
from tenants.models import User

MAX_BUDGET_ORE = 10**15  # ten thousand million SEK: far above any joint project

PROJECT_FIELDS = ("name", "purpose", "budget_ore", "starts_on", "ends_on", "state")
STATE_NEXT: dict[str, frozenset[str]] = {
    ProjectState.PROPOSED: frozenset({ProjectState.ACTIVE, ProjectState.CANCELLED}),
    ProjectState.ACTIVE: frozenset(
        {ProjectState.PAUSED, ProjectState.COMPLETED, ProjectState.CANCELLED}
    ),
    ProjectState.PAUSED: frozenset({ProjectState.ACTIVE, ProjectState.CANCELLED}),
    ProjectState.COMPLETED: frozenset(),
    ProjectState.CANCELLED: frozenset(),
}


def _json(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {
        key: [_json(before.get(key)), _json(value)]
        for key, value in after.items()
        if _json(before.get(key)) != _json(value)
    }


def _project_values(project: Project) -> dict[str, Any]:
    return {
        "name": project.name,
        "purpose": project.purpose,
        "budget_ore": project.budget_ore,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "state": project.state,
    }


def _clean_state(errors: Errors, value: object, instance: Project | None) -> Any:
    state = getattr(value, "value", value)
    if state not in ProjectState.values:
        errors.add(
            "state",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(ProjectState.values)},
            Code.INVALID,
        )
    elif instance is None and state != ProjectState.PROPOSED:
        errors.add("state", _("A new joint project starts as proposed."), Code.INVALID_STATE)
    elif instance is not None and state != instance.state:
        if state not in STATE_NEXT[instance.state]:
            errors.add(
                "state",
                _("A %(current)s project cannot become %(new)s.")
                % {
                    "current": ProjectState(instance.state).label.lower(),
                    "new": ProjectState(state).label.lower(),
                },
                Code.INVALID_STATE,
            )
        elif state == ProjectState.ACTIVE and not instance.shares.filter(weight__gt=0).exists():
            errors.add(
                "state",
                _("Agree the participants' shares before the project becomes active."),
                Code.NO_POSITIVE_SHARE,
            )
    return state


def _clean_project(values: dict[str, Any], instance: Project | None) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {
        "name": text(errors, "name", values.get("name"), codes=Code, max_length=200),
        "purpose": text(
            errors, "purpose", values.get("purpose"), codes=Code, max_length=5000, required=False
        ),
    }
    if "name" not in errors:
        same = Project.objects.filter(name__iexact=clean["name"])
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors.add("name", _("A joint project with this name already exists."), Code.DUPLICATE)
    budget = values.get("budget_ore")
    if budget is None:
        errors.add("budget_ore", _("This field is required."), Code.REQUIRED)
    else:
        budget = amount_ore(errors, "budget_ore", budget, codes=Code, high=MAX_BUDGET_ORE)
    clean["budget_ore"] = budget
    starts_on = a_date(errors, "starts_on", values.get("starts_on"), codes=Code, required=False)
    ends_on = a_date(errors, "ends_on", values.get("ends_on"), codes=Code, required=False)
    if starts_on and ends_on and ends_on < starts_on:
        errors.add("ends_on", _("The project cannot end before it starts."), Code.OUT_OF_RANGE)
    clean["starts_on"] = starts_on
    clean["ends_on"] = ends_on
    clean["state"] = _clean_state(errors, values.get("state"), instance)
    errors.raise_if_any()
    return clean


def _check_keys(given: Iterable[str]) -> None:
    unknown = set(given) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


def create_project(actor: User | None, **data: Any) -> Project:
    """A new joint project, proposed. Fields: name, purpose, budget_ore, starts_on, ends_on.
    Its shares are set with `set_shares`."""
    require_project_writer(actor)
    _check_keys(data)
    values = {"purpose": "", "state": ProjectState.PROPOSED, **data}
    try:
        with transaction.atomic():
            clean = _clean_project(values, None)
            project = Project.objects.create(**clean)
            record_event(actor, "projects.project.created", project, **_changes({}, clean))
    except IntegrityError as exc:  # lost a race on the unique name
        raise field_error(
            "name", _("A joint project with this name already exists."), Code.DUPLICATE
        ) from exc
    return project


def update_project(actor: User | None, project: Project | int, **changes: Any) -> Project:
    """Change some fields of a project (the others keep their values), its state included.
    Nothing is written (and no event recorded) when nothing changes."""
    require_project_writer(actor)
    _check_keys(changes)
    try:
        with transaction.atomic():
            found = locked_project(project, "id")
            refuse_if_final(found)
            before = _project_values(found)
            clean = _clean_project({**before, **changes}, found)
            diff = _changes(before, clean)
            if not diff:
                return found
            for key, value in clean.items():
                setattr(found, key, value)
            found.save()
            record_event(actor, "projects.project.updated", found, **diff)
    except IntegrityError as exc:
        raise field_error(
            "name", _("A joint project with this name already exists."), Code.DUPLICATE
        ) from exc
    return found
