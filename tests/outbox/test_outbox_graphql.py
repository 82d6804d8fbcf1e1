"""The outbox in GraphQL: an agency's admins read their own outgoing messages on their host
(never another agency's, never the text) and send their failed ones again; central IT reads
counts per agency and sends every failed message again. Audited either way."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from services.audit.models import AuditEvent
from services.outbox.agency.models import OutboundMessage
from services.outbox.models import CentralMessage, MessageState
from tests.graphql import gql
from tests.outbox.failed_mail import send_failing

pytestmark = pytest.mark.django_db

MESSAGES = """query($state: OutboxState) { outgoingMessages(first: 50, state: $state) {
  totalCount edges { node { id channel state recipients subject attempts lastError } } } }"""
SUMMARY = "{ outboxSummary { centralPending centralFailed agencies { agency name failed } } }"
RETRY = "mutation { retryFailedMessages { central agencies errors { code message } } }"


@pytest.fixture
def failed(federation, django_capture_on_commit_callbacks):
    send_failing(django_capture_on_commit_callbacks, federation)


def _messages(federation, username, agency, state=None):
    response = gql(MESSAGES, {"state": state}, agency=agency, user=federation.user(username))
    assert not response.errors, response.errors
    return response.data["outgoingMessages"]


def test_an_admin_reads_the_agencys_unsent_messages_and_no_other_agencys(federation, failed):
    # when alpha's admin asks on alpha's host
    found = _messages(federation, "alpha-admin", federation.alpha)
    # then alpha's failed mail, with the address and the error (no body field exists)
    assert found["totalCount"] == 1
    node = found["edges"][0]["node"]
    assert (node["subject"], node["recipients"], node["state"], node["channel"]) == (
        "To alpha",
        ["admin@alfa.example"],
        "FAILED",
        "EMAIL",
    )
    assert "ValueError" in node["lastError"]
    # and nothing of beta's or central IT's; sent ones only when asked for
    assert _messages(federation, "alpha-admin", federation.alpha, "SENT")["totalCount"] == 0


@pytest.mark.parametrize(("username", "host"), [("alpha-staff", "alpha"), ("root", None)])
def test_nobody_else_reads_them(federation, failed, username, host):
    agency = federation.alpha if host == "alpha" else None
    assert _messages(federation, username, agency)["totalCount"] == 0


def test_another_agencys_admin_is_refused_on_the_host(federation, failed):
    response = gql(MESSAGES, agency=federation.alpha, user=federation.user("beta-admin"))
    assert response.data is None and response.errors[0]["extensions"]["code"] == "FORBIDDEN"


def test_the_list_reads_a_constant_number_of_queries(federation, failed):
    def measure() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _messages(federation, "alpha-admin", federation.alpha)
        return len(ctx.captured_queries)

    few = measure()
    with tenant_context(federation.alpha):
        OutboundMessage.objects.bulk_create(
            OutboundMessage(channel="email", recipients=[f"p{i}@alfa.example"], body="b")
            for i in range(20)
        )
    assert measure() == few


def test_central_it_reads_counts_per_agency_and_agencies_are_refused(federation, failed):
    response = gql(SUMMARY, user=federation.user("desk"))
    summary = response.data["outboxSummary"]
    assert summary["centralFailed"] == 1
    assert sorted((a["name"], a["failed"]) for a in summary["agencies"]) == [
        (federation.alpha.name, 1),
        (federation.beta.name, 1),
    ]
    for agency in (federation.alpha, None):
        refused = gql(SUMMARY, agency=agency, user=federation.user("alpha-admin"))
        assert refused.data is None and refused.errors[0]["extensions"]["code"] == "FORBIDDEN"


def test_an_admin_retries_the_agencys_own_failed_messages_only(federation, failed):
    # when alpha's admin sends the failed ones again on alpha's host
    response = gql(RETRY, agency=federation.alpha, user=federation.user("alpha-admin"))
    # then alpha's mail is waiting again; beta's and central IT's are still failed
    assert response.data["retryFailedMessages"] == {"central": 0, "agencies": 1, "errors": []}
    with tenant_context(federation.alpha):
        assert OutboundMessage.objects.get(subject="To alpha").state == MessageState.PENDING
    with tenant_context(federation.beta):
        assert OutboundMessage.objects.get(subject="To beta").state == MessageState.FAILED
    assert CentralMessage.objects.get(subject="Central alert").state == MessageState.FAILED
    event = AuditEvent.objects.get(action="outbox.retry_failed")
    assert (event.actor.username, event.agency_id) == ("alpha-admin", federation.alpha.pk)


def test_staff_and_other_agencies_admins_cannot_retry(federation, failed):
    staff = gql(RETRY, agency=federation.alpha, user=federation.user("alpha-staff"))
    assert staff.data["retryFailedMessages"]["errors"][0]["code"] == "PERMISSION_DENIED"
    stranger = gql(RETRY, agency=federation.beta, user=federation.user("alpha-admin"))
    assert stranger.data is None and stranger.errors[0]["extensions"]["code"] == "FORBIDDEN"
    with tenant_context(federation.beta):
        assert OutboundMessage.objects.get(subject="To beta").state == MessageState.FAILED


def test_the_service_desk_retries_every_failed_message(federation, failed):
    response = gql(RETRY, user=federation.user("desk"))
    assert response.data["retryFailedMessages"] == {"central": 1, "agencies": 2, "errors": []}
    assert CentralMessage.objects.get(subject="Central alert").state == MessageState.PENDING


def test_the_action_itself_refuses_callers_without_the_role(federation, failed):
    # the rule lives in the action: whatever page or API calls it
    from django.core.exceptions import PermissionDenied

    from services.outbox import actions

    with pytest.raises(PermissionDenied):
        actions.retry_failed(federation.user("alpha-staff"), agency=federation.alpha)
    with pytest.raises(PermissionDenied):
        actions.retry_failed(federation.user("alpha-admin"))  # every agency's: central only
    with tenant_context(federation.alpha):
        assert OutboundMessage.objects.get(subject="To alpha").state == MessageState.FAILED
