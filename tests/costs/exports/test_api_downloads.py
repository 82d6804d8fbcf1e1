"""Download URLs for API clients: an API token in the Authorization header works without a
session, scoped exactly like a session; the period is accepted as YYYY-MM or its numeric id.

Through the real URLs and middleware (Django's test client on the agency's or central host)."""

from __future__ import annotations

import pytest
from django.test import Client

from services.agencies.tokens import issue_api_token, revoke_api_token
from tenants.models import AgencyKind
from tests.graphql import gql, host_of

pytestmark = pytest.mark.django_db


def _get(path: str, *, agency=None, token: str | None = None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(HTTP_HOST=host_of(agency)).get(path, **headers, **extra)


@pytest.fixture
def org_number(federation):
    central = federation.central
    old = central.org_number
    type(central).objects.filter(kind=AgencyKind.CENTRAL).update(org_number="2021001234")
    yield
    type(central).objects.filter(kind=AgencyKind.CENTRAL).update(org_number=old)


def test_an_agency_admin_token_downloads_by_month_and_by_id(published, federation):
    raw, _token = issue_api_token(federation.user("alpha-admin"))
    period = published.period
    for ref in (f"{period.month:%Y-%m}", str(period.pk)):
        response = _get(f"/costs/{ref}/statement.csv", agency=federation.alpha, token=raw)
        assert response.status_code == 200, (ref, response.content[:200])
        assert response["Content-Type"].startswith("text/csv")
        body = response.content.decode()
        assert "alpha" in body and "beta" not in body
        assert "sessionid" not in response.cookies


def test_a_token_is_scoped_like_the_session(published, federation):
    month = f"{published.period.month:%Y-%m}"
    alpha_admin, _ = issue_api_token(federation.user("alpha-admin"))
    alpha_staff, _ = issue_api_token(federation.user("alpha-staff"))
    # another agency's host: no role there
    assert _get(f"/costs/{month}/statement.csv", agency=federation.beta, token=alpha_admin)
    response = _get(f"/costs/{month}/statement.csv", agency=federation.beta, token=alpha_admin)
    assert response.status_code == 403
    # asking for another agency on its own host
    response = _get(
        f"/costs/{month}/statement.csv?agency=beta", agency=federation.alpha, token=alpha_admin
    )
    assert response.status_code == 403
    # staff are not admins
    response = _get(f"/costs/{month}/statement.csv", agency=federation.alpha, token=alpha_staff)
    assert response.status_code == 403
    # an agency admin on the central host reads nothing
    response = _get(f"/costs/{month}/statement.csv?agency=alpha", token=alpha_admin)
    assert response.status_code == 403


def test_a_bad_revoked_or_missing_token(published, federation):
    month = f"{published.period.month:%Y-%m}"
    path = f"/costs/{month}/statement.csv"
    response = _get(path, agency=federation.alpha, token="snv_nonsense")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    raw, token = issue_api_token(federation.user("alpha-admin"))
    revoke_api_token(token)
    assert _get(path, agency=federation.alpha, token=raw).status_code == 401
    # no header and no session: the sign-in page, as before
    response = _get(path, agency=federation.alpha)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_finance_token_on_the_central_host(published, federation, org_number):
    raw, _ = issue_api_token(federation.user("fin"))
    month = f"{published.period.month:%Y-%m}"
    response = _get(f"/costs/{month}/statement.sie?agency=beta", token=raw)
    assert response.status_code == 200
    assert b"#ORGNR 202100-1234" in response.content
    # a month that has no period, and one that is no month
    assert _get("/costs/2019-01/statement.csv?agency=beta", token=raw).status_code == 400
    assert _get("/costs/march/statement.csv?agency=beta", token=raw).status_code == 400


def test_sie_is_refused_without_central_its_organisation_number(published, federation):
    raw, _ = issue_api_token(federation.user("fin"))
    assert not federation.central.org_number
    month = f"{published.period.month:%Y-%m}"
    response = _get(
        f"/costs/{month}/statement.sie?agency=beta", token=raw, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "organisation number" in response.content.decode()


EXPORT = """mutation($month: String!, $format: CostExportFormat!) {
  requestCostExport(month: $month, format: $format) { export { id } errors { code } } }"""
POLL = "query($id: ID!) { costExport(id: $id) { state downloadUrl } }"


def test_the_export_download_url_works_with_the_token(
    published, federation, django_capture_on_commit_callbacks
):
    raw, _ = issue_api_token(federation.user("fin"))
    # when an API client asks for a whole period's FOCUS metadata and polls it, by token only
    with django_capture_on_commit_callbacks(execute=True):
        asked = gql(EXPORT, {"month": "2026-03", "format": "FOCUS_METADATA"}, token=raw)
    job = asked.data["requestCostExport"]["export"]["id"]
    polled = gql(POLL, {"id": job}, token=raw).data["costExport"]
    assert polled["state"] == "DONE"
    # then its downloadUrl gives the file to the same token, with no session
    response = _get(polled["downloadUrl"], token=raw)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b'"FocusVersion": "1.2"' in body
    # and an agency admin's token is refused there
    alpha_raw, _ = issue_api_token(federation.user("alpha-admin"))
    assert _get(polled["downloadUrl"], token=alpha_raw).status_code == 403


def test_a_whole_period_sie_export_is_refused_without_the_organisation_number(
    published, federation
):
    raw, _ = issue_api_token(federation.user("fin"))
    asked = gql(EXPORT, {"month": "2026-03", "format": "SIE"}, token=raw)
    payload = asked.data["requestCostExport"]
    assert payload["export"] is None
    assert payload["errors"] == [{"code": "REQUIRED"}]
