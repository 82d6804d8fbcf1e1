"""E-mail threading beyond the subject: a reply that carries only In-Reply-To or References
lands on its ticket, whichever of our mails it answers; CC'd colleagues of the same agency
follow the ticket (its replies reach them, and they may write on it); every mail links to its
ticket; and an agent's chat line is not mailed to a requester who is still in the chat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from services.people.models import Person
from services.support import actions, email_out
from services.support.channels import chat
from services.support.models import Channel, Ticket, TicketFollower, TicketMessage, TicketState
from tests.support.test_channel_email import channel_settings, deliver, mail, ticket_id

__all__ = ["channel_settings"]  # its autouse fixture: the gateway token and support address

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def portal_address(settings):
    settings.SAMNAV_PORTAL_SCHEME, settings.SAMNAV_PORTAL_PORT = "http", "8123"
    settings.SAMNAV_BASE_DOMAIN = "localhost"


@pytest.fixture
def colleague(federation, people):
    """A third person of alpha (no account) and one of beta with a look-alike address."""
    with schema_context("agency_alpha"):
        alpha = Person.objects.create(name="Kollega Alfa", email="kollega@alpha.example")
    with schema_context("agency_beta"):
        Person.objects.create(name="Kollega Beta", email="kollega@beta.example")
    return alpha


def opened(capture, **kwargs) -> int:
    return ticket_id(deliver(capture, mail(**kwargs).as_bytes()))


def agent_reply(federation, pk: int, body="Har du startat om skrivaren?") -> TicketMessage:
    return actions.add_message(
        federation.alpha, pk, body=body, channel=Channel.WEB, actor=federation.user("desk")
    )


@pytest.mark.parametrize("header", ["In-Reply-To", "References"])
def test_a_reply_to_the_acknowledgement_with_only_a_header_lands_on_its_ticket(
    federation, people, smtp, django_capture_on_commit_callbacks, header
):
    # given a ticket opened by mail, and its acknowledgement (whose Message-ID is not stored)
    pk = opened(django_capture_on_commit_callbacks)
    [ack] = smtp.messages()
    # when the requester answers the acknowledgement, subject changed, reference gone
    reply = mail(subject="Fortfarande trasig", body="Nu blinkar den grönt.")
    reply[header] = ack["Message-ID"]
    r = deliver(django_capture_on_commit_callbacks, reply.as_bytes())
    # then the answer is on the same ticket: no second ticket
    assert (r.json()["status"], ticket_id(r)) == ("replied", pk)
    with schema_context("agency_alpha"):
        assert Ticket.objects.count() == 1


def test_a_header_naming_another_agencys_ticket_opens_a_new_one(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    # given beta's ticket and the acknowledgement its requester got
    beta_pk = opened(django_capture_on_commit_callbacks, sender="staff@beta.example")
    [ack] = smtp.messages()
    # when alpha's staff member answers with that Message-ID
    reply = mail(subject="Samma fel här", body="Hos oss också.")
    reply["In-Reply-To"] = ack["Message-ID"]
    r = deliver(django_capture_on_commit_callbacks, reply.as_bytes())
    # then nothing lands on beta's ticket: alpha gets a ticket of its own
    assert r.json()["status"] == "opened"
    with schema_context("agency_beta"):
        assert TicketMessage.objects.filter(ticket_id=beta_pk).count() == 1


def test_cc_adds_known_colleagues_as_followers_and_notes_the_rest(
    federation, people, colleague, smtp, django_capture_on_commit_callbacks
):
    # when the requester mails with a colleague, a beta person and a stranger in the CC
    pk = opened(
        django_capture_on_commit_callbacks,
        headers={"Cc": "Kollega <KOLLEGA@alpha.example>, kollega@beta.example, x@gmail.example"},
    )
    with schema_context("agency_alpha"):
        ticket = Ticket.objects.get(pk=pk)
        # then alpha's colleague follows the ticket, nobody else does
        assert list(ticket.followers.values_list("person_id", flat=True)) == [colleague.pk]
        # and an internal note says who was added and who was left out
        note = ticket.messages.get(is_internal=True).body
    assert "Kollega Alfa" in note
    assert "kollega@beta.example" in note and "x@gmail.example" in note


def test_followers_get_the_agents_replies_and_may_answer_by_mail(
    federation, people, colleague, smtp, django_capture_on_commit_callbacks
):
    pk = opened(django_capture_on_commit_callbacks, headers={"Cc": "kollega@alpha.example"})
    # when an agent replies
    with django_capture_on_commit_callbacks(execute=True):
        agent_reply(federation, pk)
    # then the requester and the follower each get it, with a link to the ticket
    sent = smtp.messages()[1:]
    assert sorted(str(m["To"]) for m in sent) == ["kollega@alpha.example", "staff@alpha.example"]
    link = f"http://alpha.localhost:8123/support/{pk}/"
    assert all(link in m.get_body().get_content() for m in sent)
    # and the follower's answer to their copy (headers only) lands on the ticket as theirs
    theirs = next(m for m in sent if str(m["To"]) == "kollega@alpha.example")
    reply = mail(sender="kollega@alpha.example", subject="Svar", body="Jag kan ta det.")
    reply["In-Reply-To"] = theirs["Message-ID"]
    r = deliver(django_capture_on_commit_callbacks, reply.as_bytes())
    assert (r.json()["status"], ticket_id(r)) == ("replied", pk)
    with schema_context("agency_alpha"):
        last = TicketMessage.objects.filter(ticket_id=pk).latest("pk")
        assert last.author_person_id == colleague.pk


def test_a_colleague_answering_a_forwarded_mail_becomes_a_follower(
    federation, people, colleague, smtp, django_capture_on_commit_callbacks
):
    # given a ticket and an agent's reply to its requester
    pk = opened(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        agent_reply(federation, pk)
    forwarded = smtp.messages()[-1]
    # when a colleague it was forwarded to answers it (References carries the thread)
    reply = mail(sender="kollega@alpha.example", subject="Fwd: svar", body="Gäller mig också.")
    reply["References"] = forwarded["Message-ID"]
    r = deliver(django_capture_on_commit_callbacks, reply.as_bytes())
    # then the answer is on the ticket and the colleague follows it from now on
    assert (r.json()["status"], ticket_id(r)) == ("replied", pk)
    with schema_context("agency_alpha"):
        assert TicketFollower.objects.filter(ticket_id=pk, person=colleague).exists()


def test_a_follower_sees_the_ticket_on_the_portal(federation, people, colleague):
    from services.support import policies
    from tenants.viewer import Viewer

    with schema_context("agency_alpha"):
        ticket = actions.open_ticket(
            federation.alpha,
            people["alpha-admin"],
            actions.NewTicket(subject="Skrivare", description="Trasig"),
            channel=Channel.WEB,
        )
    staff = Viewer.of(federation.user("alpha-staff"), federation.alpha)
    with schema_context("agency_alpha"):
        assert not policies.tickets(staff, Ticket.objects.all()).filter(pk=ticket.pk).exists()
        actions.follow(federation.alpha, ticket, people["alpha-staff"], Channel.EMAIL)
        assert policies.tickets(staff, Ticket.objects.all()).filter(pk=ticket.pk).exists()


def test_an_agents_chat_line_is_mailed_only_once_the_requester_left_the_chat(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    staff = federation.user("alpha-staff")
    ticket = chat.start_chat(federation.alpha, staff, "Skrivaren är trasig")
    # while the requester's chat page polls, an agent's line is not mailed
    chat.seen(federation.alpha, ticket.pk)
    with django_capture_on_commit_callbacks(execute=True):
        chat.chat_reply(federation.alpha, federation.user("desk"), ticket.pk, "Jag tittar på det")
    assert smtp.received == []
    # once the page has been quiet for a minute, the next line is mailed, with its link
    with schema_context("agency_alpha"):
        Ticket.objects.filter(pk=ticket.pk).update(
            chat_seen_at=timezone.now() - dt.timedelta(seconds=email_out.CHAT_PRESENCE_SECONDS)
        )
    with django_capture_on_commit_callbacks(execute=True):
        chat.chat_reply(federation.alpha, federation.user("desk"), ticket.pk, "Prova nu")
    [sent] = smtp.messages()
    assert "Prova nu" in sent.get_body().get_content()
    assert f"/support/{ticket.pk}/" in sent.get_body().get_content()


def test_the_resolution_mail_reaches_followers_with_the_link(
    federation, people, colleague, smtp, django_capture_on_commit_callbacks
):
    pk = opened(django_capture_on_commit_callbacks, headers={"Cc": "kollega@alpha.example"})
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_state(
            federation.alpha, federation.user("desk"), pk, TicketState.RESOLVED, "Klart"
        )
    resolved = [m for m in smtp.messages() if "Resolved" in str(m["Subject"])]
    assert sorted(str(m["To"]) for m in resolved) == [
        "kollega@alpha.example",
        "staff@alpha.example",
    ]
    assert all(f"/support/{pk}/" in m.get_body().get_content() for m in resolved)


def test_a_forged_message_id_of_our_shape_proves_nothing(
    federation, people, colleague, smtp, django_capture_on_commit_callbacks
):
    # given the requester's ticket
    pk = opened(django_capture_on_commit_callbacks)
    [ack] = smtp.messages()
    real = str(ack["Message-ID"])
    # when a colleague answers with a Message-ID shaped like ours but with a made-up check
    forged = real.rsplit("-", 1)[0] + "-0123456789ab@" + real.rsplit("@", 1)[1]
    reply = mail(sender="kollega@alpha.example", subject="Hej", body="Jag vill läsa med.")
    reply["In-Reply-To"] = forged
    r = deliver(django_capture_on_commit_callbacks, reply.as_bytes())
    # then nothing is filed on that ticket and the colleague follows nothing
    assert r.json()["status"] == "opened" and ticket_id(r) != pk
    with schema_context("agency_alpha"):
        assert not TicketFollower.objects.filter(ticket_id=pk).exists()
    # while the real id is recognised
    assert email_out.ticket_of_message_id(real) == ("alpha", pk)
