"""The agency's lifecycle holds on every host: a suspended agency's people can neither read
nor write anything through the central host either (session or API token), until it is
reactivated; offboarding closes its people's identities and tokens for good."""

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from services.agencies import actions, offboarding
from services.agencies.tokens import issue_api_token
from services.people.models import Person
from tenants.models import ApiToken, RoleGrant, User
from tenants.roles import Role
from tests.conftest import PASSWORD
from tests.graphql import gql

pytestmark = pytest.mark.django_db

ISSUE = 'mutation { issueApiToken(name: "second") { token } }'


def _refused(result, code="AGENCY_SUSPENDED") -> bool:
    return (
        result.status == 403
        and result.data is None
        and result.errors[0]["extensions"]["code"] == code
    )


def test_a_suspended_agency_acts_on_no_host_and_reactivation_restores(federation):
    alpha = federation.alpha
    tokens = {
        name: issue_api_token(federation.user(name))[0] for name in ("alpha-admin", "alpha-staff")
    }
    before = ApiToken.objects.count()
    actions.suspend_agency(None, alpha.pk, "Unpaid invoices")
    for name, raw in tokens.items():
        user = federation.user(name)
        for agency in (None, alpha):  # the central host and the agency's own
            # then reads and writes are refused, by session and by token alike
            assert _refused(gql("{ agency { slug } }", agency=agency, user=user))
            assert _refused(gql(ISSUE, agency=agency, user=user))
            assert _refused(gql(ISSUE, agency=agency, token=raw))
        # and the central host's pages too
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        assert client.get("/").status_code == 403
        assert client.get("/accounts/logout/").status_code != 403  # signing out stays open
    # and nothing was written
    assert ApiToken.objects.count() == before
    # beta's people and central roles are unaffected
    assert gql(ISSUE, user=federation.user("beta-staff")).data["issueApiToken"]["token"]
    assert gql("{ agency { slug } }", agency=federation.beta, user=federation.user("beta-admin"))
    # when alpha is reactivated, the same tokens work again
    connection.set_schema_to_public()
    actions.reactivate_agency(None, alpha.pk)
    result = gql(ISSUE, token=tokens["alpha-staff"])
    assert result.errors == [] and result.data["issueApiToken"]["token"]


def test_someone_with_a_role_elsewhere_keeps_it_while_the_agency_is_suspended(federation):
    # given alpha's admin who is also finance centrally
    user = User.objects.create_user(username="two-hats", password=PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.AGENCY_ADMIN, agency=federation.alpha)
    RoleGrant.objects.create(user=user, role=Role.FINANCE)
    actions.suspend_agency(None, federation.alpha.pk, "Audit")
    # then the central role still works, and nothing of alpha does
    assert gql("{ costPeriods { totalCount } }", user=user).errors == []
    assert gql("{ agency { slug } }", agency=federation.alpha, user=user).status == 403


def test_offboarding_closes_its_peoples_identities_and_tokens_for_good(
    federation, settings, tmp_path
):
    settings.SAMNAV_ARCHIVE_DIR = tmp_path
    delta = actions.onboard_agency(
        None, actions.AgencyInput(name="Länsstyrelsen Delta", slug="delta", org_number="2021998048")
    )
    with schema_context(delta.schema_name):
        Person.objects.create(name="D", email="d@example.se")
    only = User.objects.create_user(username="delta-only", password=PASSWORD)
    both = User.objects.create_user(username="delta-and-alpha", password=PASSWORD)
    RoleGrant.objects.create(user=only, role=Role.AGENCY_ADMIN, agency=delta)
    RoleGrant.objects.create(user=both, role=Role.AGENCY_STAFF, agency=delta)
    RoleGrant.objects.create(user=both, role=Role.AGENCY_STAFF, agency=federation.alpha)
    raw, _token = issue_api_token(only)
    session = Client(HTTP_HOST="localhost")
    assert session.login(username="delta-only", password=PASSWORD)
    # when delta is offboarded
    offboarding.offboard_agency(None, "delta", "Merged")
    # then its own people are closed: token revoked, session ended, no new sign-in
    result = gql(ISSUE, token=raw)
    assert result.status == 401 and result.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not User.objects.get(pk=only.pk).is_active
    assert ApiToken.objects.get(user=only).revoked_at is not None
    assert not session.get("/").wsgi_request.user.is_authenticated
    assert not Client().login(username="delta-only", password=PASSWORD)
    # while someone with a role in alpha keeps it
    assert User.objects.get(pk=both.pk).is_active
    assert gql("{ agency { slug } }", agency=federation.alpha, user=both).data == {
        "agency": {"slug": "alpha"}
    }
