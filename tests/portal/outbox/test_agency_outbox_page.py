"""An agency admin's outgoing messages (agency host): the agency's own unsent messages, read in
its schema, and a retry of its failed ones only. Another agency's admin, staff and central
roles get nothing."""

import pytest
from django.core import mail
from django_tenants.utils import tenant_context

from services.audit.models import AuditEvent
from services.crossindex.models import IndexEntry, IndexKind
from services.outbox import delivery
from services.outbox.agency.models import OutboundMessage
from services.outbox.models import CentralMessage, MessageState
from tests.outbox.failed_mail import send_failing
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def failed(federation, django_capture_on_commit_callbacks):
    send_failing(django_capture_on_commit_callbacks, federation)


@pytest.mark.parametrize("username", ["alpha-staff", "beta-admin", "root", "desk", "nobody"])
def test_only_the_agencys_admins_open_its_page(federation, username):
    client = portal_client(federation.alpha, federation.user(username))
    assert client.get("/outbox/").status_code == 403
    assert client.post("/outbox/retry/").status_code == 403


def test_the_admin_sees_the_agencys_failed_messages_and_not_another_agencys(federation, failed):
    # when alpha's admin opens the page on alpha's host
    response = portal_client(federation.alpha, federation.user("alpha-admin")).get("/outbox/", **EN)
    html = response.content.decode()
    # then alpha's failed mail is listed with its address and error, the body is not shown;
    # beta's and central IT's are not there
    assert response.status_code == 200
    assert (response.context["pending"], response.context["failed"]) == (0, 1)
    assert "To alpha" in html and "admin@alfa.example" in html and "ValueError" in html
    assert "Alpha body" not in html
    assert "To beta" not in html and "admin@beta.example" not in html
    assert "Central alert" not in html


def test_the_page_reads_a_constant_number_of_queries(federation, failed):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    few, _ = count_queries(lambda: client.get("/outbox/"))
    with tenant_context(federation.alpha):
        OutboundMessage.objects.bulk_create(
            OutboundMessage(channel="email", recipients=[f"p{i}@alfa.example"], body="b")
            for i in range(30)
        )
    more, response = count_queries(lambda: client.get("/outbox/"))
    assert few == more
    assert response.context["pending"] == 30


def test_retry_sends_the_agencys_failed_messages_only_and_is_audited(
    federation, failed, django_capture_on_commit_callbacks
):
    # when alpha's admin presses "send again" once the server is mended
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    response = client.post("/outbox/retry/", **EN)
    # then alpha's message is due again, beta's and central IT's stay failed
    assert response.status_code == 302 and response["Location"] == "/outbox/"
    page = client.get("/outbox/", **EN).content.decode()
    assert "1 failed message(s) will be sent again within a minute." in page
    with tenant_context(federation.alpha):
        assert OutboundMessage.objects.get(subject="To alpha").state == MessageState.PENDING
    with tenant_context(federation.beta):
        assert OutboundMessage.objects.get(subject="To beta").state == MessageState.FAILED
    assert CentralMessage.objects.get(subject="Central alert").state == MessageState.FAILED
    states = dict(
        IndexEntry.objects.filter(kind=IndexKind.OUTBOX).values_list("agency__slug", "state")
    )
    assert states == {"alpha": "pending", "beta": "failed"}
    # and the audit row names the admin and the agency
    event = AuditEvent.objects.get(action="outbox.retry_failed")
    assert (event.actor.username, event.agency_id) == ("alpha-admin", federation.alpha.pk)
    assert event.changes == {"central": 0, "agencies": 1}
    # and the sweeper sends alpha's only
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep()
    assert [m.subject for m in mail.outbox] == ["To alpha"]


def test_beta_admin_on_beta_host_cannot_retry_alphas(federation, failed):
    # when beta's admin retries on beta's host
    portal_client(federation.beta, federation.user("beta-admin")).post("/outbox/retry/")
    # then only beta's message moved
    with tenant_context(federation.alpha):
        assert OutboundMessage.objects.get(subject="To alpha").state == MessageState.FAILED
    with tenant_context(federation.beta):
        assert OutboundMessage.objects.get(subject="To beta").state == MessageState.PENDING


def test_the_menu_leads_admins_there_and_not_staff(federation):
    def has_link(username: str) -> bool:
        page = portal_client(federation.alpha, federation.user(username)).get("/").content
        return 'href="/outbox/"' in page.decode()

    assert (has_link("alpha-admin"), has_link("alpha-staff")) == (True, False)
