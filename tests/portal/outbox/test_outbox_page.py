"""The outgoing-messages page of the central host: waiting and failed per agency (counts from
the index, no address or text of an agency), central IT's failed messages, and a retry. The
agency admin's own page is tested in test_agency_outbox_page.py."""

import pytest
from django.core import mail

from services.audit.models import AuditEvent
from services.crossindex.models import IndexEntry, IndexKind
from services.outbox import delivery
from tests.outbox.failed_mail import send_failing
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def failed(federation, django_capture_on_commit_callbacks):
    send_failing(django_capture_on_commit_callbacks, federation, agencies=("alpha",))


@pytest.mark.parametrize("username", ["fin", "cat", "tech", "nobody", "alpha-admin"])
def test_other_roles_cannot_open_the_page(federation, username):
    client = portal_client(None, federation.user(username))
    assert client.get("/outbox/").status_code == 403
    assert client.post("/outbox/retry/").status_code == 403


def test_the_page_counts_per_agency_and_lists_central_failures(federation, failed):
    # when the service desk opens the page
    response = portal_client(None, federation.user("desk")).get("/outbox/", **EN)
    html = response.content.decode()
    # then alpha's failure is counted, without its address or text; central IT's is listed
    assert response.status_code == 200
    [alpha] = [r for r in response.context["agencies"] if r["name"] == federation.alpha.name]
    assert (alpha["pending"], alpha["failed"]) == (0, 1)
    assert "admin@alfa.example" not in html and "Alpha body" not in html
    assert response.context["central_failed"] >= 1
    assert "Central alert" in html and "ValueError" in html


def test_the_page_reads_a_constant_number_of_queries(federation, failed):
    client = portal_client(None, federation.user("root"))
    few, _ = count_queries(lambda: client.get("/outbox/"))
    # given failures in more agencies (index entries as their outboxes write them)
    IndexEntry.objects.create(
        agency=federation.beta, kind=IndexKind.OUTBOX, local_id=10**6, state="failed"
    )
    more, _ = count_queries(lambda: client.get("/outbox/"))
    assert few == more


def test_retry_sends_the_failed_messages_again_and_is_audited(
    federation, failed, django_capture_on_commit_callbacks
):
    # when a platform admin presses "send again" once the server is mended
    client = portal_client(None, federation.user("root"))
    response = client.post("/outbox/retry/", **EN)
    # then it went back to the page with what will happen, and an audit row says who did it
    assert response.status_code == 302 and response["Location"] == "/outbox/"
    page = client.get("/outbox/", **EN).content.decode()
    assert "2 failed message(s) will be sent again within a minute." in page
    event = AuditEvent.objects.get(action="outbox.retry_failed")
    assert event.changes == {"central": 1, "agencies": 1}
    # and the sweeper sends both
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep()
    assert sorted(m.subject for m in mail.outbox) == ["Central alert", "To alpha"]


def test_the_menu_leads_the_desk_and_admins_there(federation):
    def has_link(username: str) -> bool:
        page = portal_client(None, federation.user(username)).get("/").content.decode()
        return 'href="/outbox/"' in page

    assert (has_link("root"), has_link("desk"), has_link("fin")) == (True, True, False)
