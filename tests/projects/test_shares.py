"""Setting a project's shares: validation (field and row named, nothing half-written), the
replace semantics, the audit event, and the selectors the cost split reads."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.audit.models import AuditEvent
from services.projects import actions, selectors
from services.projects.errors import ProjectErrorCode as Code
from services.projects.models import ProjectShare, ProjectState, ShareBasis
from tenants.models import AgencyState
from tests.projects import make_project

pytestmark = pytest.mark.django_db


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errs] for field, errs in exc.error_dict.items()}


def _weights(project) -> dict[int, Decimal]:
    return dict(ProjectShare.objects.filter(project=project).values_list("agency_id", "weight"))


@pytest.fixture
def project(federation):
    # an active project shared 1:1 by alpha and beta
    return make_project("Gemensam e-arkivplattform", {federation.alpha: 1, federation.beta: 1})


def test_percentages_must_sum_to_exactly_100(federation, project):
    # given shares of 60 % and 39.99 %
    rows = [
        {"agency": federation.alpha.pk, "share": Decimal("60")},
        {"agency": federation.beta.pk, "share": Decimal("39.99")},
    ]
    # when they are set as percentages
    with pytest.raises(ValidationError) as exc:
        actions.set_shares(None, project, rows, basis=ShareBasis.PERCENT)
    # then the list is refused as a whole, and the old shares stay
    assert _errors(exc.value) == {"shares": [Code.SHARES_NOT_100]}
    assert "99.99" in exc.value.error_dict["shares"][0].message
    assert _weights(project) == {federation.alpha.pk: 1, federation.beta.pk: 1}


def test_percentages_summing_to_100_are_stored_as_weights(federation, project):
    # given 62.5 % and 37.5 %
    rows = [
        {"agency": federation.alpha, "share": "62.5"},
        {"agency": federation.beta.pk, "share": Decimal("37.5")},
    ]
    # when set as percentages
    actions.set_shares(None, project, rows, basis=ShareBasis.PERCENT)
    # then they are the weights, and the project says they were agreed as percentages
    assert _weights(project) == {
        federation.alpha.pk: Decimal("62.5000"),
        federation.beta.pk: Decimal("37.5000"),
    }
    project.refresh_from_db()
    assert project.share_basis == ShareBasis.PERCENT


@pytest.mark.parametrize(
    ("share", "code"),
    [
        (Decimal("-1"), Code.OUT_OF_RANGE),
        ("abc", Code.INVALID),
        (1.5, Code.INVALID),  # floats are not exact: refused
        (Decimal("0.00001"), Code.INVALID),  # more than 4 decimals
        (Decimal("100000000"), Code.OUT_OF_RANGE),
        (Decimal("1E+40"), Code.OUT_OF_RANGE),
        ("-0.00001", Code.OUT_OF_RANGE),
        (Decimal("NaN"), Code.INVALID),
        (None, Code.INVALID),
    ],
)
def test_a_bad_weight_names_its_row(federation, project, share, code):
    # given a good first row and a bad second one
    rows = [{"agency": federation.alpha, "share": 3}, {"agency": federation.beta, "share": share}]
    # when set as weights
    with pytest.raises(ValidationError) as exc:
        actions.set_shares(None, project, rows, basis=ShareBasis.WEIGHT)
    # then the error names the second row's share, and nothing changed
    assert _errors(exc.value) == {"shares.1.share": [code]}
    assert _weights(project) == {federation.alpha.pk: 1, federation.beta.pk: 1}


def test_a_percentage_above_100_is_out_of_range(federation, project):
    rows = [{"agency": federation.alpha, "share": 101}, {"agency": federation.beta, "share": 0}]
    with pytest.raises(ValidationError) as exc:
        actions.set_shares(None, project, rows, basis=ShareBasis.PERCENT)
    assert _errors(exc.value) == {"shares.0.share": [Code.OUT_OF_RANGE]}


def test_unknown_central_template_and_repeated_agencies_are_refused(federation, project):
    # given rows naming: alpha, an unknown agency, central IT, the template, and alpha again
    rows = [
        {"agency": federation.alpha, "share": 1},
        {"agency": 999_999, "share": 1},
        {"agency": federation.central, "share": 1},
        {"agency": federation.template.pk, "share": 1},
        {"agency": federation.alpha.pk, "share": 2},
        {"agency": None, "share": 1},
    ]
    # when set
    with pytest.raises(ValidationError) as exc:
        actions.set_shares(None, project, rows, basis=ShareBasis.WEIGHT)
    # then each bad row is named with its own reason, and nothing changed
    assert _errors(exc.value) == {
        "shares.1.agency": [Code.NOT_FOUND],
        "shares.2.agency": [Code.NOT_MEMBER_AGENCY],
        "shares.3.agency": [Code.NOT_MEMBER_AGENCY],
        "shares.4.agency": [Code.DUPLICATE],
        "shares.5.agency": [Code.NOT_FOUND],
    }
    assert _weights(project) == {federation.alpha.pk: 1, federation.beta.pk: 1}


def test_an_agency_that_left_the_federation_cannot_take_a_share(federation, project):
    # given beta has been offboarded (in this test's transaction only)
    federation.beta.state = AgencyState.OFFBOARDED
    federation.beta.save(update_fields=["state"])
    try:
        with pytest.raises(ValidationError) as exc:
            actions.set_shares(
                None, project, [{"agency": federation.beta, "share": 1}], basis="weight"
            )
        assert _errors(exc.value) == {"shares.0.agency": [Code.NOT_MEMBER_AGENCY]}
    finally:
        federation.beta.state = AgencyState.ACTIVE


@pytest.mark.parametrize("rows", [[], None])
def test_an_empty_list_is_refused(federation, project, rows):
    with pytest.raises(ValidationError) as exc:
        actions.set_shares(None, project, rows, basis=ShareBasis.WEIGHT)
    assert _errors(exc.value) == {"shares": [Code.REQUIRED]}


def test_weights_need_a_positive_sum(federation, project):
    rows = [{"agency": federation.alpha, "share": 0}, {"agency": federation.beta, "share": "0"}]
    with pytest.raises(ValidationError) as exc:
        actions.set_shares(None, project, rows, basis=ShareBasis.WEIGHT)
    assert _errors(exc.value) == {"shares": [Code.NO_POSITIVE_SHARE]}


def test_an_unknown_basis_is_refused(federation, project):
    with pytest.raises(ValidationError) as exc:
        actions.set_shares(None, project, [{"agency": federation.alpha, "share": 1}], basis="x")
    assert _errors(exc.value) == {"basis": [Code.INVALID]}


def test_setting_shares_replaces_the_list_and_records_one_event(federation, project):
    # given alpha 1 and beta 1; when only alpha is set, at weight 3
    actions.set_shares(
        federation.user("fin"), project, [{"agency": federation.alpha, "share": 3}], basis="weight"
    )
    # then beta no longer takes part
    assert _weights(project) == {federation.alpha.pk: Decimal("3.0000")}
    # and one audit event records the before and after
    event = AuditEvent.objects.get(action="projects.shares.set", object_id=str(project.pk))
    assert event.actor == federation.user("fin")
    assert event.changes == {
        "shares": [
            {str(federation.alpha.pk): "1.0000", str(federation.beta.pk): "1.0000"},
            {str(federation.alpha.pk): "3.0000"},
        ]
    }


def test_setting_the_same_shares_again_records_nothing(federation, project):
    rows = [{"agency": federation.alpha, "share": 1}, {"agency": federation.beta, "share": "1.0"}]
    actions.set_shares(None, project, rows, basis="weight")
    assert not AuditEvent.objects.filter(action="projects.shares.set").exists()


@pytest.mark.parametrize("state", [ProjectState.COMPLETED, ProjectState.CANCELLED])
def test_a_finished_project_keeps_its_shares(federation, state):
    project = make_project("Avslutat", {federation.alpha: 1}, state=state)
    with pytest.raises(ValidationError) as exc:
        actions.set_shares(None, project, [{"agency": federation.beta, "share": 1}])
    assert _errors(exc.value) == {"project": [Code.INVALID_STATE]}
    assert _weights(project) == {federation.alpha.pk: 1}


@pytest.mark.parametrize("user", ["alpha-admin", "cat", "desk", "nobody"])
def test_only_finance_and_platform_admins_set_shares(federation, project, user):
    with pytest.raises(PermissionDenied):
        actions.set_shares(
            federation.user(user), project, [{"agency": federation.alpha, "share": 1}]
        )
    assert _weights(project) == {federation.alpha.pk: 1, federation.beta.pk: 1}


def test_shares_selector_returns_the_positive_weights(federation):
    # given alpha at 3 and beta at 0 (a participant without a share of the cost)
    project = make_project("Ny ärendehandläggning", {federation.alpha: "3.5", federation.beta: 0})
    # then the selector names alpha only, with its exact weight
    assert selectors.shares(project.pk) == {federation.alpha.pk: Decimal("3.5000")}
    assert selectors.shares(999_999) == {}


def test_shares_for_projects_reads_many_projects_in_one_query(federation):
    # given three projects, one without shares
    one = make_project("Ett", {federation.alpha: 1, federation.beta: 2})
    two = make_project("Två", {federation.beta: "0.25"})
    three = make_project("Tre", {})
    # when the cost split asks for all of them
    with CaptureQueriesContext(connection) as ctx:
        found = selectors.shares_for_projects([one.pk, two.pk, three.pk])
    # then one query answers (django-tenants may set the search path first), every project a key
    selects = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("SET ")]
    assert len(selects) == 1
    assert found == {
        one.pk: {federation.alpha.pk: Decimal(1), federation.beta.pk: Decimal(2)},
        two.pk: {federation.beta.pk: Decimal("0.25")},
        three.pk: {},
    }
    assert selectors.shares_for_projects([]) == {}
