"""Project actions: create, update, state transitions, milestones, who may write, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from services.audit.models import AuditEvent
from services.projects import actions
from services.projects.errors import ProjectErrorCode as Code
from services.projects.models import Milestone, Project, ProjectState
from tests.projects import make_project

pytestmark = pytest.mark.django_db


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errs] for field, errs in exc.error_dict.items()}


def test_finance_creates_a_proposed_project_with_an_audit_event(federation):
    # when finance creates a project
    project = actions.create_project(
        federation.user("fin"),
        name="  Säker mobil arbetsplats ",
        purpose="Gemensam MDM",
        budget_ore=2_500_000_000_00,  # 2.5 thousand million SEK: beyond a 32-bit integer
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2028, 12, 31),
    )
    # then it is proposed, with its name trimmed, and the creation is audited
    assert (project.name, project.state, project.budget_ore) == (
        "Säker mobil arbetsplats",
        ProjectState.PROPOSED,
        2_500_000_000_00,
    )
    event = AuditEvent.objects.get(action="projects.project.created", object_id=str(project.pk))
    assert event.actor == federation.user("fin")
    assert event.changes["budget_ore"] == [None, 2_500_000_000_00]


def test_bad_project_input_names_every_field_and_writes_nothing(federation):
    make_project("Finns redan")
    with pytest.raises(ValidationError) as exc:
        actions.create_project(
            None,
            name="finns REDAN",
            budget_ore=-1,
            starts_on=dt.date(2027, 1, 2),
            ends_on=dt.date(2027, 1, 1),
        )
    assert _errors(exc.value) == {
        "name": [Code.DUPLICATE],
        "budget_ore": [Code.OUT_OF_RANGE],
        "ends_on": [Code.OUT_OF_RANGE],
    }
    assert Project.objects.count() == 1


def test_a_new_project_cannot_start_active(federation):
    with pytest.raises(ValidationError) as exc:
        actions.create_project(None, name="X", budget_ore=0, state=ProjectState.ACTIVE)
    assert _errors(exc.value) == {"state": [Code.INVALID_STATE]}


@pytest.mark.parametrize("user", ["alpha-admin", "beta-staff", "cat", "desk", "nobody"])
def test_only_finance_and_platform_admins_create_and_update(federation, user):
    project = make_project("P", {federation.alpha: 1})
    with pytest.raises(PermissionDenied):
        actions.create_project(federation.user(user), name="Q", budget_ore=0)
    with pytest.raises(PermissionDenied):
        actions.update_project(federation.user(user), project, name="R")
    assert list(Project.objects.values_list("name", flat=True)) == ["P"]


def test_a_project_becomes_active_only_with_a_positive_share(federation):
    # given a proposed project without shares
    project = make_project("P", {}, state=ProjectState.PROPOSED)
    # when it is activated, it is refused
    with pytest.raises(ValidationError) as exc:
        actions.update_project(None, project, state=ProjectState.ACTIVE)
    assert _errors(exc.value) == {"state": [Code.NO_POSITIVE_SHARE]}
    # and once shares are agreed, it may
    actions.set_shares(None, project, [{"agency": federation.alpha, "share": 1}])
    actions.update_project(federation.user("root"), project, state=ProjectState.ACTIVE)
    project.refresh_from_db()
    assert project.state == ProjectState.ACTIVE
    event = AuditEvent.objects.get(action="projects.project.updated", object_id=str(project.pk))
    assert event.changes == {"state": ["proposed", "active"]}


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (ProjectState.PROPOSED, ProjectState.CANCELLED, True),
        (ProjectState.PROPOSED, ProjectState.PAUSED, False),
        (ProjectState.PROPOSED, ProjectState.COMPLETED, False),
        (ProjectState.ACTIVE, ProjectState.PAUSED, True),
        (ProjectState.ACTIVE, ProjectState.COMPLETED, True),
        (ProjectState.ACTIVE, ProjectState.PROPOSED, False),
        (ProjectState.PAUSED, ProjectState.ACTIVE, True),
        (ProjectState.PAUSED, ProjectState.CANCELLED, True),
        (ProjectState.PAUSED, ProjectState.COMPLETED, False),
    ],
)
def test_state_transitions(federation, start, end, ok):
    project = make_project("P", {federation.alpha: 1}, state=start)
    if ok:
        actions.update_project(None, project, state=end)
    else:
        with pytest.raises(ValidationError) as exc:
            actions.update_project(None, project, state=end)
        assert _errors(exc.value) == {"state": [Code.INVALID_STATE]}
    project.refresh_from_db()
    assert project.state == (end if ok else start)


@pytest.mark.parametrize("state", [ProjectState.COMPLETED, ProjectState.CANCELLED])
def test_a_finished_project_is_read_only(federation, state):
    project = make_project("P", {federation.alpha: 1}, state=state, milestones=1)
    with pytest.raises(ValidationError) as exc:
        actions.update_project(None, project, purpose="later note")
    assert _errors(exc.value) == {"state": [Code.INVALID_STATE]}
    with pytest.raises(ValidationError) as exc:
        actions.add_milestone(None, project, name="M", due_on=dt.date(2027, 1, 1))
    assert _errors(exc.value) == {"project": [Code.INVALID_STATE]}
    with pytest.raises(ValidationError) as exc:
        actions.complete_milestone(None, project.milestones.get())
    assert _errors(exc.value) == {"milestone": [Code.INVALID_STATE]}


def test_an_unchanged_update_records_nothing(federation):
    project = make_project("P", {federation.alpha: 1})
    actions.update_project(None, project, name="P", budget_ore=project.budget_ore)
    assert not AuditEvent.objects.filter(action="projects.project.updated").exists()


def test_milestones_are_added_and_completed_once(federation):
    # given an active project
    project = make_project("P", {federation.alpha: 1})
    fin = federation.user("fin")
    # when a milestone is added and completed
    milestone = actions.add_milestone(fin, project, name=" Förstudie ", due_on=dt.date(2027, 3, 1))
    actions.complete_milestone(fin, milestone.pk)
    # then it is done today, and both steps are audited
    milestone.refresh_from_db()
    assert (milestone.name, milestone.done_on) == ("Förstudie", timezone.localdate())
    assert set(
        AuditEvent.objects.filter(
            object_type="projects.milestone", object_id=str(milestone.pk)
        ).values_list("action", flat=True)
    ) == {"projects.milestone.added", "projects.milestone.completed"}
    # and it cannot be completed twice
    with pytest.raises(ValidationError) as exc:
        actions.complete_milestone(fin, milestone)
    assert _errors(exc.value) == {"milestone": [Code.INVALID_STATE]}


def test_bad_milestone_input_is_refused(federation):
    project = make_project("P", {federation.alpha: 1}, milestones=1)
    with pytest.raises(ValidationError) as exc:
        actions.add_milestone(None, project, name="", due_on="2027-01-01")
    assert _errors(exc.value) == {"name": [Code.REQUIRED], "due_on": [Code.INVALID]}
    with pytest.raises(ValidationError) as exc:
        actions.complete_milestone(
            None, project.milestones.get(), done_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert _errors(exc.value) == {"done_on": [Code.OUT_OF_RANGE]}
    with pytest.raises(ValidationError) as exc:
        actions.complete_milestone(None, 999_999)
    assert _errors(exc.value) == {"milestone": [Code.NOT_FOUND]}
    assert Milestone.objects.filter(project=project, done_on__isnull=False).count() == 0
    with pytest.raises(PermissionDenied):
        actions.add_milestone(federation.user("alpha-admin"), project, name="M", due_on=None)
