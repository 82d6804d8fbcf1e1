"""Write paths of joint projects: the project itself, its agreed shares, its state and its
milestones. Called alike by GraphQL mutations, the demo loader and commands (design.md §1).

Who may write: finance and platform admins, centrally (`actor=None` is the system itself). A
project's shares are its cost-allocation key (services/costs/ splits the project's cost pools
by them), and finance, not the catalogue manager, keeps the allocation keys.

Every action validates all input before writing, names each bad field (rows of the share list
as `shares.<index>.agency` / `shares.<index>.share`) with a `ProjectErrorCode`, writes all or
nothing, locks the project row it changes, and records an audit event per change (the audit
log of shared objects, like the catalogue's actions).

Rules:
- States: proposed -> active | cancelled; active -> paused | completed | cancelled;
  paused -> active | cancelled. Completed and cancelled are final, and a project in a final
  state is read-only (past cost splits rely on it).
- A project becomes active only with at least one share above zero.
- Shares are given as weights (any non-negative numbers with a positive sum) or as
  percentages (summing to exactly 100). Both are stored as the weight; the split is
  weight / sum of weights. At most 4 decimals. Only member agencies that have not left
  the federation take part, each at most once. Setting shares replaces the whole list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.projects import policies
from services.projects.errors import ProjectErrorCode as Code
from services.projects.models import Milestone, Project, ProjectShare, ProjectState, ShareBasis
from services.validation import Errors as _Errors
from services.validation import field_error as _one
from tenants.models import Agency, AgencyKind, AgencyState
from tenants.viewer import Viewer

MAX_BUDGET_ORE = 10**15  # ten thousand million SEK: far above any joint project
MAX_WEIGHT = Decimal("99999999.9999")  # the column holds 12 digits, 4 of them decimals
WEIGHT_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)

PROJECT_FIELDS = ("name", "purpose", "budget_ore", "starts_on", "ends_on", "state")
FINAL_STATES = frozenset({ProjectState.COMPLETED, ProjectState.CANCELLED})
STATE_NEXT: dict[str, frozenset[str]] = {
    ProjectState.PROPOSED: frozenset({ProjectState.ACTIVE, ProjectState.CANCELLED}),
    ProjectState.ACTIVE: frozenset(
        {ProjectState.PAUSED, ProjectState.COMPLETED, ProjectState.CANCELLED}
    ),
    ProjectState.PAUSED: frozenset({ProjectState.ACTIVE, ProjectState.CANCELLED}),
    ProjectState.COMPLETED: frozenset(),
    ProjectState.CANCELLED: frozenset(),
}


# --- helpers ---------------------------------------------------------------------------------


def require_project_writer(actor) -> None:
    if actor is not None and not policies.writes_projects(Viewer.of(actor)):
        raise PermissionDenied(_("Only finance or a platform admin may change joint projects."))


def _pk(ref):
    return ref.pk if isinstance(ref, models.Model) else ref


def _locked_project(ref, field: str = "project") -> Project:
    try:
        return Project.objects.select_for_update().get(pk=_pk(ref))
    except (Project.DoesNotExist, ValueError, TypeError) as exc:
        raise _one(field, _("No such joint project."), Code.NOT_FOUND) from exc


def _text(errors: _Errors, field: str, value, *, max_length: int, required: bool = True) -> str:
    if value is not None and not isinstance(value, str):
        errors.add(field, _("Must be text."), Code.INVALID)
        return ""
    text = (value or "").strip()
    if required and not text:
        errors.add(field, _("This field is required."), Code.REQUIRED)
    elif len(text) > max_length:
        errors.add(field, _("At most %(n)s characters.") % {"n": max_length}, Code.INVALID)
    return text


def _date(errors: _Errors, field: str, value, *, required: bool) -> dt.date | None:
    if value is None:
        if required:
            errors.add(field, _("Enter a date."), Code.REQUIRED)
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors.add(field, _("Enter a date."), Code.INVALID)
        return None
    return value


def _json(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _changes(before: dict, after: dict) -> dict:
    return {
        key: [_json(before.get(key)), _json(value)]
        for key, value in after.items()
        if _json(before.get(key)) != _json(value)
    }


def _refuse_if_final(project: Project, field: str = "state") -> None:
    if project.state in FINAL_STATES:
        raise _one(
            field,
            _("The project is %(state)s: it can no longer change.")
            % {"state": ProjectState(project.state).label.lower()},
            Code.INVALID_STATE,
        )


# --- projects --------------------------------------------------------------------------------


def _project_values(project: Project) -> dict:
    return {
        "name": project.name,
        "purpose": project.purpose,
        "budget_ore": project.budget_ore,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "state": project.state,
    }


def _clean_project(values: dict, instance: Project | None) -> dict:
    errors = _Errors()
    clean = {
        "name": _text(errors, "name", values.get("name"), max_length=200),
        "purpose": _text(errors, "purpose", values.get("purpose"), max_length=5000, required=False),
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
    elif not isinstance(budget, int) or isinstance(budget, bool):
        errors.add("budget_ore", _("Must be a whole number of öre."), Code.INVALID)
    elif not 0 <= budget <= MAX_BUDGET_ORE:
        errors.add(
            "budget_ore",
            _("Must be from 0 to %(high)s öre.") % {"high": MAX_BUDGET_ORE},
            Code.OUT_OF_RANGE,
        )
    clean["budget_ore"] = budget
    clean["starts_on"] = _date(errors, "starts_on", values.get("starts_on"), required=False)
    clean["ends_on"] = _date(errors, "ends_on", values.get("ends_on"), required=False)
    if clean["starts_on"] and clean["ends_on"] and clean["ends_on"] < clean["starts_on"]:
        errors.add("ends_on", _("The project cannot end before it starts."), Code.OUT_OF_RANGE)
    state = getattr(values.get("state"), "value", values.get("state"))
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
    clean["state"] = state
    errors.raise_if_any()
    return clean


def _check_keys(given: Iterable[str]) -> None:
    unknown = set(given) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


def create_project(actor, **data) -> Project:
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
        raise _one(
            "name", _("A joint project with this name already exists."), Code.DUPLICATE
        ) from exc
    return project


def update_project(actor, project, **changes) -> Project:
    """Change some fields of a project (the others keep their values), its state included.
    Nothing is written (and no event recorded) when nothing changes."""
    require_project_writer(actor)
    _check_keys(changes)
    try:
        with transaction.atomic():
            project = _locked_project(project, "id")
            _refuse_if_final(project)
            before = _project_values(project)
            clean = _clean_project({**before, **changes}, project)
            diff = _changes(before, clean)
            if not diff:
                return project
            for key, value in clean.items():
                setattr(project, key, value)
            project.save()
            record_event(actor, "projects.project.updated", project, **diff)
    except IntegrityError as exc:
        raise _one(
            "name", _("A joint project with this name already exists."), Code.DUPLICATE
        ) from exc
    return project


# --- shares ----------------------------------------------------------------------------------


def _share_value(errors: _Errors, field: str, value, basis: str) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        errors.add(field, _("Give the share as an exact decimal number."), Code.INVALID)
        return None
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        errors.add(field, _("Give the share as an exact decimal number."), Code.INVALID)
        return None
    if not number.is_finite():
        errors.add(field, _("Give the share as an exact decimal number."), Code.INVALID)
        return None
    if number < 0:
        errors.add(field, _("A share cannot be negative."), Code.OUT_OF_RANGE)
        return None
    high = HUNDRED if basis == ShareBasis.PERCENT else MAX_WEIGHT
    if number > high:  # before quantizing: a huge number cannot be quantized
        errors.add(field, _("At most %(high)s.") % {"high": high}, Code.OUT_OF_RANGE)
        return None
    if number != number.quantize(WEIGHT_PLACES, rounding="ROUND_DOWN"):
        errors.add(field, _("At most 4 decimals."), Code.INVALID)
        return None
    return number.quantize(WEIGHT_PLACES)


def _clean_shares(rows, basis) -> tuple[str, dict[int, Decimal]]:
    errors = _Errors()
    basis = getattr(basis, "value", basis)
    if basis not in ShareBasis.values:
        errors.add(
            "basis",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(ShareBasis.values)},
            Code.INVALID,
        )
    rows = list(rows or [])
    if not rows:
        errors.add("shares", _("Name at least one participating agency."), Code.REQUIRED)
    pks = [_pk(row.get("agency")) if isinstance(row, Mapping) else None for row in rows]
    wanted = {pk for pk in pks if isinstance(pk, int) and not isinstance(pk, bool)}
    agencies = Agency.objects.in_bulk(wanted) if wanted else {}
    weights: dict[int, Decimal] = {}
    for index, (row, pk) in enumerate(zip(rows, pks, strict=True)):
        prefix = f"shares.{index}."
        if not isinstance(row, Mapping):
            errors.add(f"shares.{index}", _("Give an agency and its share."), Code.INVALID)
            continue
        agency = agencies.get(pk)
        if agency is None:
            errors.add(prefix + "agency", _("No such agency."), Code.NOT_FOUND)
        elif agency.kind != AgencyKind.AGENCY:
            errors.add(
                prefix + "agency",
                _("Only member agencies take part in joint projects (not %(name)s).")
                % {"name": agency.name},
                Code.NOT_MEMBER_AGENCY,
            )
        elif agency.state == AgencyState.OFFBOARDED:
            errors.add(
                prefix + "agency",
                _("%(name)s has left the federation.") % {"name": agency.name},
                Code.NOT_MEMBER_AGENCY,
            )
        elif agency.pk in weights:
            errors.add(
                prefix + "agency",
                _("%(name)s is named more than once.") % {"name": agency.name},
                Code.DUPLICATE,
            )
        value = _share_value(errors, prefix + "share", row.get("share"), basis)
        if agency is not None and value is not None and agency.pk not in weights:
            weights[agency.pk] = value
    if not errors.items:
        total = sum(weights.values(), Decimal(0))
        if basis == ShareBasis.PERCENT and total != HUNDRED:
            errors.add(
                "shares",
                _("Percentages must sum to exactly 100; these sum to %(total)s.")
                % {"total": total.normalize()},
                Code.SHARES_NOT_100,
            )
        elif total <= 0:
            errors.add(
                "shares", _("At least one share must be above zero."), Code.NO_POSITIVE_SHARE
            )
    errors.raise_if_any()
    return basis, weights


def _share_map(weights: Mapping[int, Decimal]) -> dict[str, str]:
    return {str(agency_id): str(weight) for agency_id, weight in sorted(weights.items())}


def set_shares(actor, project, shares, *, basis: str = ShareBasis.WEIGHT) -> list[ProjectShare]:
    """Replace a project's shares. `shares`: rows `{"agency": Agency or pk, "share": Decimal}`
    (a Decimal, int or decimal string; no floats). `basis`: weights or percentages."""
    require_project_writer(actor)
    with transaction.atomic():
        project = _locked_project(project)
        _refuse_if_final(project, "project")
        basis, weights = _clean_shares(shares, basis)
        existing = {s.agency_id: s for s in project.shares.select_for_update()}
        before = {agency_id: s.weight for agency_id, s in existing.items()}
        gone = [s.pk for agency_id, s in existing.items() if agency_id not in weights]
        if gone:
            ProjectShare.objects.filter(pk__in=gone).delete()
        changed = []
        for agency_id, weight in weights.items():
            share = existing.get(agency_id)
            if share is None:
                ProjectShare.objects.create(project=project, agency_id=agency_id, weight=weight)
            elif share.weight != weight:
                share.weight = weight
                changed.append(share)
        if changed:
            ProjectShare.objects.bulk_update(changed, ["weight"])
        diff = {}
        if _share_map(before) != _share_map(weights):
            diff["shares"] = [_share_map(before), _share_map(weights)]
        if project.share_basis != basis:
            diff["share_basis"] = [project.share_basis, basis]
            project.share_basis = basis
            project.save(update_fields=["share_basis"])
        if diff:
            record_event(actor, "projects.shares.set", project, **diff)
        return list(project.shares.order_by("agency_id"))


# --- milestones ------------------------------------------------------------------------------


def add_milestone(actor, project, *, name, due_on) -> Milestone:
    """A new milestone of a project that is not completed or cancelled."""
    require_project_writer(actor)
    with transaction.atomic():
        project = _locked_project(project)
        _refuse_if_final(project, "project")
        errors = _Errors()
        name = _text(errors, "name", name, max_length=200)
        due_on = _date(errors, "due_on", due_on, required=True)
        errors.raise_if_any()
        milestone = Milestone.objects.create(project=project, name=name, due_on=due_on)
        record_event(
            actor,
            "projects.milestone.added",
            milestone,
            project_id=project.pk,
            name=[None, name],
            due_on=[None, due_on.isoformat()],
        )
    return milestone


def complete_milestone(actor, milestone, *, done_on: dt.date | None = None) -> Milestone:
    """Mark a milestone done on `done_on` (today when not given; never in the future)."""
    require_project_writer(actor)
    today = timezone.localdate()
    with transaction.atomic():
        try:
            milestone = (
                Milestone.objects.select_for_update()
                .select_related("project")
                .get(pk=_pk(milestone))
            )
        except (Milestone.DoesNotExist, ValueError, TypeError) as exc:
            raise _one("milestone", _("No such milestone."), Code.NOT_FOUND) from exc
        _refuse_if_final(milestone.project, "milestone")
        if milestone.done_on is not None:
            raise _one(
                "milestone",
                _("The milestone was already done on %(day)s.") % {"day": milestone.done_on},
                Code.INVALID_STATE,
            )
        errors = _Errors()
        done_on = _date(errors, "done_on", done_on, required=False) or today
        errors.raise_if_any()
        if done_on > today:
            raise _one("done_on", _("A milestone cannot be done in the future."), Code.OUT_OF_RANGE)
        milestone.done_on = done_on
        milestone.save(update_fields=["done_on"])
        record_event(
            actor,
            "projects.milestone.completed",
            milestone,
            project_id=milestone.project_id,
            done_on=[None, done_on.isoformat()],
        )
    return milestone
