"""The compliance page of the portal: the month's figures as a chart and a table, the OLA
tickets that breached a clock with their review actions (recorded and completed by the
service desk), for central IT and, their own part, for an agency's admins."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from services.support.models import ReviewAction
from tests.conftest import PASSWORD
from tests.support.test_compliance import at, make_ticket, march  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _client(user: str, host: str = "localhost") -> Client:
    client = Client(HTTP_HOST=host)
    assert client.login(username=user, password=PASSWORD)
    return client


def test_the_desk_sees_chart_table_and_breaches_of_every_agency(federation, march):  # noqa: F811
    page = _client("desk").get("/support/compliance/?month=2025-03")
    assert page.status_code == 200
    body = page.content.decode()
    # a chart whose bars say their figures, and the table as its text alternative
    assert body.count('role="img"') == 3
    assert 'aria-label="1 met, 3 breached, 0 pending"' in body
    assert "<caption" in body and 'scope="col"' in body
    assert federation.alpha.name in body and federation.beta.name in body
    # the three breached P2 tickets of alpha, each with a link to record a review action
    assert len(re.findall(r"/support/compliance/\d+/\d+/review/", body)) == 3


def test_the_desk_records_and_completes_a_review_action(federation, march):  # noqa: F811
    client = _client("desk")
    body = client.get("/support/compliance/?month=2025-03").content.decode()
    review_url = re.findall(r"/support/compliance/\d+/\d+/review/", body)[0]
    ticket_id = int(review_url.rstrip("/").split("/")[-2])
    # a due date in the past: the field and the reason, nothing written
    fields = {
        "what_happened": "Köade utan ägare.",
        "corrective_action": "Ny rutin för överlämning.",
        "owner": "Servicedeskens ledare",
        "due_on": "2020-01-01",
    }
    refused = client.post(review_url, fields)
    assert refused.status_code == 400
    assert "The due date is in the past." in refused.content.decode()
    with schema_context(federation.alpha.schema_name):
        assert not ReviewAction.objects.exists()
    fields["due_on"] = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert client.post(review_url, fields).status_code == 302
    with schema_context(federation.alpha.schema_name):
        review = ReviewAction.objects.get()
    assert review.ticket_id == ticket_id
    body = client.get("/support/compliance/?month=2025-03").content.decode()
    assert "Ny rutin för överlämning." in body and "Open review actions" in body
    done = f"/support/compliance/{federation.alpha.pk}/reviews/{review.pk}/done/"
    assert client.post(done).status_code == 302
    with schema_context(federation.alpha.schema_name):
        assert ReviewAction.objects.get().done_on is not None
    # a second time: the reason, not an error page
    assert client.post(done, follow=True).status_code == 200


def test_an_agency_admin_sees_only_their_own_and_records_nothing(federation, march):  # noqa: F811
    own = _client("alpha-admin", "alpha.localhost").get("/support/compliance/?month=2025-03")
    body = own.content.decode()
    assert own.status_code == 200
    assert federation.beta.name not in body
    assert "/review/" not in body
    assert _client("alpha-staff", "alpha.localhost").get("/support/compliance/").status_code == 403
    central = _client("alpha-admin")
    assert central.get("/support/compliance/").status_code == 403
    path = f"/support/compliance/{federation.alpha.pk}/1/review/"
    assert central.post(path, {"owner": "x"}).status_code == 403
    assert _client("fin").post(path, {"owner": "x"}).status_code == 403  # finance reads only


def test_a_bad_month_says_why(federation):
    body = _client("fin").get("/support/compliance/?month=2025-13").content.decode()
    assert "Give the month as YYYY-MM." in body


def test_the_page_keeps_its_queries_whatever_the_tickets(federation, people, cat):
    def count() -> int:
        client = _client("desk")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/support/compliance/?month=2025-03").status_code == 200
        return len(queries)

    make_ticket(federation, people, cat, at("2025-03-10 09:00"), response=90, resolution=900)
    few = count()
    for day in range(11, 16):
        created = at(f"2025-03-{day} 09:00")
        make_ticket(federation, people, cat, created, response=90, resolution=900)
        make_ticket(federation, people, cat, created, priority=3, response=10)
    assert count() <= few
