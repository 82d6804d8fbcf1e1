"""GraphQL of joint projects: who sees which project, who may change them, errors as data,
and constant query counts for the list."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.projects.models import Milestone, Project, ProjectShare, ProjectState
from tests.graphql import gql
from tests.projects import gid, make_project

pytestmark = pytest.mark.django_db

LIST = """
query($state: JointProjectState) {
  jointProjects(first: 100, state: $state) {
    totalCount
    edges { node {
      id name purpose budgetOre state shareBasis totalWeight startsOn endsOn
      shares { agencyId agencyName agencySlug weight percent }
      myShare { agencySlug weight percent }
      milestones { id name dueOn doneOn isDone }
    } }
  }
}
"""

NODE = """
query($id: ID!) { node(id: $id) { id ... on JointProject { name } ... on Milestone { name } } }
"""


@pytest.fixture
def projects(federation):
    """alpha and beta share one project 1:3; alpha alone runs another; beta alone a third."""
    both = make_project(
        "Gemensam e-arkivplattform", {federation.alpha: 1, federation.beta: 3}, milestones=2
    )
    alpha_only = make_project("Ny ärendehandläggning", {federation.alpha: 1}, milestones=1)
    beta_only = make_project("Säker mobil arbetsplats", {federation.beta: "0"}, milestones=1)
    return both, alpha_only, beta_only


def _names(response) -> list[str]:
    return [e["node"]["name"] for e in response.data["jointProjects"]["edges"]]


@pytest.mark.parametrize("user", ["fin", "cat", "desk", "root"])
def test_central_roles_see_every_project(federation, projects, user):
    response = gql(LIST, user=federation.user(user))
    assert response.errors == []
    assert _names(response) == [
        "Gemensam e-arkivplattform",
        "Ny ärendehandläggning",
        "Säker mobil arbetsplats",
    ]
    first = response.data["jointProjects"]["edges"][0]["node"]
    assert first["myShare"] is None  # no agency on the central host
    assert first["budgetOre"] == 1_000_000_00
    assert first["totalWeight"] == "4.0000"


@pytest.mark.parametrize("user", ["alpha-admin", "alpha-staff"])
def test_an_agency_sees_its_projects_with_the_agreed_shares_of_all_participants(
    federation, projects, user
):
    # when alpha's people list projects on alpha's host
    response = gql(LIST, agency=federation.alpha, user=federation.user(user))
    # then they see the two projects alpha takes part in, not beta's own
    assert response.errors == []
    assert _names(response) == ["Gemensam e-arkivplattform", "Ny ärendehandläggning"]
    shared = response.data["jointProjects"]["edges"][0]["node"]
    # and the shared one shows both participants' agreed shares, and alpha's own
    assert shared["shares"] == [
        {
            "agencyId": gid("Agency", federation.alpha),
            "agencyName": "Länsstyrelsen Alfa",
            "agencySlug": "alpha",
            "weight": "1.0000",
            "percent": "25.00",
        },
        {
            "agencyId": gid("Agency", federation.beta),
            "agencyName": "Länsstyrelsen Beta",
            "agencySlug": "beta",
            "weight": "3.0000",
            "percent": "75.00",
        },
    ]
    assert shared["myShare"] == {"agencySlug": "alpha", "weight": "1.0000", "percent": "25.00"}
    assert [m["name"] for m in shared["milestones"]] == [
        "Gemensam e-arkivplattform step 0",
        "Gemensam e-arkivplattform step 1",
    ]


def test_a_participant_with_zero_weight_sees_the_project(federation, projects):
    response = gql(LIST, agency=federation.beta, user=federation.user("beta-staff"))
    assert _names(response) == ["Gemensam e-arkivplattform", "Säker mobil arbetsplats"]
    zero = response.data["jointProjects"]["edges"][1]["node"]
    assert zero["myShare"] == {"agencySlug": "beta", "weight": "0.0000", "percent": "0.00"}


def test_an_agency_cannot_open_a_project_or_milestone_it_is_not_in(federation, projects):
    _both, alpha_only, _beta_only = projects
    milestone = alpha_only.milestones.get()
    for obj_id, name in (
        (gid("JointProject", alpha_only), alpha_only.name),
        (gid("Milestone", milestone), milestone.name),
    ):
        # when beta asks for alpha's project or its milestone by id
        response = gql(
            NODE, {"id": obj_id}, agency=federation.beta, user=federation.user("beta-admin")
        )
        # then there is nothing to see
        assert response.data["node"] is None
        # while alpha sees it
        response = gql(
            NODE, {"id": obj_id}, agency=federation.alpha, user=federation.user("alpha-admin")
        )
        assert response.data["node"]["name"] == name


def test_the_state_filter(federation, projects):
    Project.objects.filter(name="Ny ärendehandläggning").update(state=ProjectState.PAUSED)
    response = gql(LIST, {"state": "PAUSED"}, user=federation.user("fin"))
    assert _names(response) == ["Ny ärendehandläggning"]


@pytest.mark.parametrize(
    ("user", "host", "code"),
    [
        (None, None, "UNAUTHENTICATED"),
        (None, "alpha", "UNAUTHENTICATED"),
        ("nobody", None, "FORBIDDEN"),
        ("alpha-admin", None, "FORBIDDEN"),  # agency people read on their own host
        ("alpha-admin", "beta", "FORBIDDEN"),
        ("fin", "alpha", "FORBIDDEN"),  # central roles read on the central host
    ],
)
def test_callers_without_a_role_on_this_host_are_refused(federation, projects, user, host, code):
    response = gql(
        LIST,
        agency=getattr(federation, host) if host else None,
        user=federation.user(user) if user else None,
    )
    assert (response.data or {}).get("jointProjects") is None
    assert [e["extensions"]["code"] for e in response.errors] == [code]


# --- mutations -------------------------------------------------------------------------------

CREATE = """
mutation($input: JointProjectCreateInput!) {
  createJointProject(input: $input) {
    project { id name state budgetOre }
    errors { field code message }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: JointProjectUpdateInput!) {
  updateJointProject(id: $id, input: $input) {
    project { name state }
    errors { field code }
  }
}
"""
SHARES = """
mutation($project: ID!, $basis: ShareBasis!, $shares: [ProjectShareInput!]!) {
  setProjectShares(project: $project, basis: $basis, shares: $shares) {
    project { shareBasis shares { agencySlug weight percent } }
    errors { field code }
  }
}
"""
ADD = """
mutation($project: ID!, $name: String!, $dueOn: Date!) {
  addMilestone(project: $project, name: $name, dueOn: $dueOn) {
    milestone { id name dueOn isDone }
    errors { field code }
  }
}
"""
COMPLETE = """
mutation($milestone: ID!, $doneOn: Date) {
  completeMilestone(milestone: $milestone, doneOn: $doneOn) {
    milestone { name doneOn isDone }
    errors { field code }
  }
}
"""


def test_finance_runs_a_project_end_to_end(federation):
    fin = federation.user("fin")
    # when finance creates a project (a budget beyond 32 bits)
    response = gql(
        CREATE,
        {"input": {"name": "Gemensam e-arkivplattform", "budgetOre": 5_000_000_000_00}},
        user=fin,
    )
    assert response.data["createJointProject"]["errors"] == []
    project = response.data["createJointProject"]["project"]
    assert (project["state"], project["budgetOre"]) == ("PROPOSED", 5_000_000_000_00)
    # and agrees the shares as percentages
    response = gql(
        SHARES,
        {
            "project": project["id"],
            "basis": "PERCENT",
            "shares": [
                {"agency": gid("Agency", federation.alpha), "share": "33.3333"},
                {"agency": gid("Agency", federation.beta), "share": "66.6667"},
            ],
        },
        user=fin,
    )
    payload = response.data["setProjectShares"]
    assert payload["errors"] == []
    assert payload["project"]["shareBasis"] == "PERCENT"
    assert sorted(
        (s["agencySlug"], s["weight"], s["percent"]) for s in payload["project"]["shares"]
    ) == [
        ("alpha", "33.3333", "33.33"),
        ("beta", "66.6667", "66.67"),
    ]
    # and activates it, adds a milestone and completes it
    response = gql(UPDATE, {"id": project["id"], "input": {"state": "ACTIVE"}}, user=fin)
    assert response.data["updateJointProject"] == {
        "project": {"name": "Gemensam e-arkivplattform", "state": "ACTIVE"},
        "errors": [],
    }
    response = gql(
        ADD, {"project": project["id"], "name": "Förstudie", "dueOn": "2027-03-01"}, user=fin
    )
    milestone = response.data["addMilestone"]["milestone"]
    assert milestone["isDone"] is False
    response = gql(COMPLETE, {"milestone": milestone["id"], "doneOn": "2026-01-15"}, user=fin)
    assert response.data["completeMilestone"] == {
        "milestone": {"name": "Förstudie", "doneOn": "2026-01-15", "isDone": True},
        "errors": [],
    }


def test_bad_shares_come_back_as_errors_naming_the_row(federation, projects):
    both, _a, _b = projects
    response = gql(
        SHARES,
        {
            "project": gid("JointProject", both),
            "basis": "WEIGHT",
            "shares": [
                {"agency": gid("Agency", federation.alpha), "share": "-2"},
                {"agency": gid("Agency", federation.central), "share": "1"},
                {"agency": "not-an-id", "share": "1"},
            ],
        },
        user=federation.user("fin"),
    )
    assert response.data["setProjectShares"] == {
        "project": None,
        "errors": [
            {"field": "shares.0.share", "code": "OUT_OF_RANGE"},
            {"field": "shares.1.agency", "code": "NOT_MEMBER_AGENCY"},
            {"field": "shares.2.agency", "code": "NOT_FOUND"},
        ],
    }
    assert dict(both.shares.values_list("agency__slug", "weight")) == {
        "alpha": Decimal(1),
        "beta": Decimal(3),
    }


@pytest.mark.parametrize(
    ("user", "host"),
    [
        ("alpha-admin", "alpha"),  # a participant cannot change the agreement alone
        ("alpha-admin", None),
        ("beta-admin", "beta"),
        ("cat", None),  # the catalogue manager keeps the catalogue, not cost keys
        ("fin", "alpha"),  # central roles act on the central host
        ("nobody", None),
    ],
)
def test_only_finance_and_platform_admins_change_projects(federation, projects, user, host):
    both, alpha_only, _beta_only = projects
    milestone = alpha_only.milestones.get()
    before = (
        list(Project.objects.order_by("pk").values_list("name", "state", "budget_ore")),
        list(ProjectShare.objects.order_by("pk").values_list("project_id", "agency_id", "weight")),
        list(Milestone.objects.order_by("pk").values_list("name", "done_on")),
    )
    agency = getattr(federation, host) if host else None
    calls = [
        (CREATE, {"input": {"name": "Nytt", "budgetOre": 1}}, "createJointProject"),
        (
            UPDATE,
            {"id": gid("JointProject", alpha_only), "input": {"name": "Bytt", "state": "PAUSED"}},
            "updateJointProject",
        ),
        (
            SHARES,
            {
                "project": gid("JointProject", both),
                "basis": "WEIGHT",
                "shares": [{"agency": gid("Agency", federation.alpha), "share": "9"}],
            },
            "setProjectShares",
        ),
        (
            ADD,
            {"project": gid("JointProject", alpha_only), "name": "M", "dueOn": "2027-01-01"},
            "addMilestone",
        ),
        (COMPLETE, {"milestone": gid("Milestone", milestone)}, "completeMilestone"),
    ]
    for query, variables, name in calls:
        response = gql(query, variables, agency=agency, user=federation.user(user))
        if response.data is None:  # the host itself refuses people without a role there
            assert [e["extensions"]["code"] for e in response.errors] == ["FORBIDDEN"], name
        else:
            errors = response.data[name]["errors"]
            assert [e["code"] for e in errors] == ["PERMISSION_DENIED"], name
    after = (
        list(Project.objects.order_by("pk").values_list("name", "state", "budget_ore")),
        list(ProjectShare.objects.order_by("pk").values_list("project_id", "agency_id", "weight")),
        list(Milestone.objects.order_by("pk").values_list("name", "done_on")),
    )
    assert after == before


# --- query counts ----------------------------------------------------------------------------


def _count(query, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = gql(query, **kwargs)
    assert response.errors == []
    return len(ctx.captured_queries)


@pytest.mark.parametrize("host", [None, "alpha"])
def test_the_project_list_costs_the_same_queries_for_2_and_10_projects(federation, host):
    agency = getattr(federation, host) if host else None
    user = federation.user("alpha-admin" if host else "fin")
    for i in range(2):
        make_project(f"P{i}", {federation.alpha: 1, federation.beta: 2}, milestones=2)
    small = _count(LIST, agency=agency, user=user)
    for i in range(2, 10):
        make_project(f"P{i}", {federation.alpha: i, federation.beta: 1}, milestones=3)
    large = _count(LIST, agency=agency, user=user)
    assert large == small
    response = gql(LIST, agency=agency, user=user)
    assert response.data["jointProjects"]["totalCount"] == 10
