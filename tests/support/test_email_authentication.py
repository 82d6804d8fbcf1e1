"""Inbound e-mail believes its From only on the gateway's word (issue 18): the receiving
gateway's Authentication-Results (SPF, DKIM, DMARC; services/support/channels/email_auth.py).
A mail it did not authenticate is held for the service desk: not threaded onto anyone's
ticket, not answered (no mail to a forged address), until an agent releases or discards it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from services.audit.models import AuditEvent
from services.support.channels import email_auth, held_mail
from services.support.inbound.models import HeldMail
from services.support.models import Ticket
from tests.support.test_channel_email import (  # noqa: F401 (an autouse fixture)
    channel_settings,
    deliver,
    mail,
    ticket_id,
    tickets,
)

pytestmark = pytest.mark.django_db

STAFF = "staff@alpha.example"


def _with(results: str, sender: str = f"Staff <{STAFF}>", **kwargs):
    msg = mail(sender=sender, authenticated=False, **kwargs)
    if results:
        msg["Authentication-Results"] = results
    return msg


@pytest.mark.parametrize(
    "results",
    [
        "",  # no gateway verdict: the From is only a claim
        "mx.evil.example; dmarc=pass header.from=alpha.example",  # not our gateway
        "mx.samnav.test; dmarc=fail header.from=alpha.example",
        "mx.samnav.test; spf=fail smtp.mailfrom=alpha.example",
        "mx.samnav.test; dkim=pass header.d=evil.example",  # signed, but by someone else
        "mx.samnav.test; spf=pass smtp.mailfrom=x@alpha.example.evil.example",
        "mx.samnav.test; none",
    ],
)
def test_a_forged_reply_is_held_not_threaded_and_nobody_is_written_to(
    federation, people, smtp, django_capture_on_commit_callbacks, results
):
    first = deliver(django_capture_on_commit_callbacks, mail().as_bytes())
    pk, sent = ticket_id(first), len(smtp.received)
    forged = _with(results, subject=f"Re: [SN#alpha-{pk}] Skrivaren", body="Stäng ärendet.")
    response = deliver(django_capture_on_commit_callbacks, forged.as_bytes())
    assert response.status_code == 202
    assert response.json() == {"status": "held", "ticket": None, "dropped": []}
    with schema_context("agency_alpha"):
        assert Ticket.objects.get(pk=pk).messages.count() == 1
    assert len(tickets(federation.alpha)) == 1
    assert len(smtp.received) == sent
    held = HeldMail.objects.get(message_id=forged["Message-ID"])
    assert (held.sender, held.state) == (STAFF, "held")
    assert "alpha.example" in held.reason or "gateway" in held.reason


def test_an_unknown_unauthenticated_sender_is_held_and_not_asked_who_they_are(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    msg = _with("", sender="victim@unrelated.example")
    response = deliver(django_capture_on_commit_callbacks, msg.as_bytes())
    assert response.json()["status"] == "held"
    assert smtp.received == []


@pytest.mark.parametrize(
    "results",
    [
        "mx.samnav.test; dmarc=pass header.from=alpha.example",
        "mx.samnav.test; dkim=pass header.d=alpha.example; spf=none",
        "mx.samnav.test; dkim=pass header.d=mail.alpha.example",  # relaxed alignment
        "MX.SAMNAV.TEST; spf=pass smtp.mailfrom=bounces@alpha.example",
    ],
)
def test_a_mail_the_gateway_authenticated_is_filed(
    federation, people, smtp, django_capture_on_commit_callbacks, results
):
    response = deliver(django_capture_on_commit_callbacks, _with(results).as_bytes())
    assert response.json()["status"] == "opened"
    assert HeldMail.objects.count() == 0


def test_only_the_topmost_header_of_our_gateway_counts():
    # a sender's own "pass" below the gateway's "fail" changes nothing
    headers = [
        "mx.samnav.test; dmarc=fail header.from=alpha.example",
        "mx.samnav.test; dmarc=pass header.from=alpha.example",
    ]
    assert not email_auth.verdict(headers, STAFF).authenticated
    assert email_auth.verdict(headers[1:], STAFF).authenticated


def test_with_no_gateway_configured_no_mail_is_authenticated(settings):
    settings.SAMNAV_INBOUND_EMAIL_AUTHSERV_ID = ""
    verdict = email_auth.verdict(["mx.samnav.test; dmarc=pass header.from=alpha.example"], STAFF)
    assert not verdict.authenticated


def test_the_same_held_mail_delivered_twice_is_held_once(
    federation, people, django_capture_on_commit_callbacks
):
    raw = _with("").as_bytes()
    for _attempt in range(2):
        assert deliver(django_capture_on_commit_callbacks, raw).json()["status"] == "held"
    assert HeldMail.objects.count() == 1


def test_an_agent_releases_a_held_mail_and_it_is_filed_as_its_sender(
    federation, people, django_capture_on_commit_callbacks
):
    msg = _with("", subject="Skärmen är svart")
    deliver(django_capture_on_commit_callbacks, msg.as_bytes())
    held = HeldMail.objects.get()
    # an agency admin may not decide; the service desk may
    with pytest.raises(PermissionDenied):
        held_mail.release(federation.user("alpha-admin"), held.pk)
    outcome = held_mail.release(federation.user("desk"), held.pk)
    assert outcome.status == "opened"
    [ticket] = tickets(federation.alpha)
    assert (ticket.subject, ticket.requester_id) == ("Skärmen är svart", people["alpha-staff"].pk)
    held.refresh_from_db()
    assert (held.state, held.decided_by_id) == ("released", federation.user("desk").pk)
    assert AuditEvent.objects.filter(action="support.held_mail.released").count() == 1
    # a second decision is refused
    with pytest.raises(ValidationError) as refused:
        held_mail.discard(federation.user("desk"), held.pk)
    assert refused.value.error_dict["mail"][0].code == "invalid_state"


def test_the_held_mail_page_lists_and_discards(
    federation, people, django_capture_on_commit_callbacks
):
    deliver(django_capture_on_commit_callbacks, _with("", subject="Lösenord?").as_bytes())
    held = HeldMail.objects.get()
    agent = Client(HTTP_HOST="localhost")
    agent.force_login(federation.user("desk"))
    assert "1 mail held" in agent.get("/support/queue/").content.decode()
    page = agent.get("/support/held/")
    assert page.status_code == 200 and "Lösenord?" in page.content.decode()
    response = agent.post(f"/support/held/{held.pk}/", {"decision": "discard"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == "discarded" and tickets(federation.alpha) == []
    staff = Client(HTTP_HOST="localhost")
    staff.force_login(federation.user("alpha-admin"))
    assert staff.get("/support/held/").status_code in (403, 404)


def test_held_mail_is_deleted_after_its_keeping_time(
    federation, people, django_capture_on_commit_callbacks, settings
):
    settings.SAMNAV_HELD_MAIL_KEEP_DAYS = 30
    for subject in ("Kvar", "Avgjord"):
        deliver(django_capture_on_commit_callbacks, _with("", subject=subject).as_bytes())
    decided = HeldMail.objects.get(subject="Avgjord")
    held_mail.discard(federation.user("desk"), decided.pk)
    now = timezone.now()
    # within 30 days nothing goes; after, the decided one; after 60, the undecided one too
    assert held_mail.purge(now + dt.timedelta(days=29)) == {"decided": 0, "undecided": 0}
    assert held_mail.purge(now + dt.timedelta(days=31)) == {"decided": 1, "undecided": 0}
    assert held_mail.purge(now + dt.timedelta(days=61)) == {"decided": 0, "undecided": 1}
    assert not HeldMail.objects.exists()
