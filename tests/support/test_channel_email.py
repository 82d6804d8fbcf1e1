"""The e-mail channel through its real entry points: raw RFC 822 messages posted to
/inbound/email/ on the central host, an IMAP mailbox polled by the task (a real imaplib
client against a small IMAP responder on localhost), and notifications delivered over SMTP
to a real SMTP server on localhost (aiosmtpd)."""

from __future__ import annotations

import hashlib
import logging
import shlex
import socketserver
import threading
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services.people.models import Person
from services.support import actions, email_out
from services.support.channels import email_in
from services.support.models import Attachment, Channel, Ticket, TicketMessage

pytestmark = pytest.mark.django_db

TOKEN = "gateway-secret-for-tests"
SUPPORT = "support@samnav.test"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


@pytest.fixture(autouse=True)
def channel_settings(settings):
    settings.SAMNAV_INBOUND_EMAIL_TOKEN = TOKEN
    settings.SAMNAV_SUPPORT_EMAIL = SUPPORT


# --- Building and posting real messages -------------------------------------------------------


def mail(
    sender="Staff of alpha <staff@alpha.example>",
    subject="Skrivaren på plan 3 skriver inte ut",
    body="Pappersstopp i lådan, och lampan blinkar rött.",
    *,
    html=None,
    files=(),
    headers=None,
    authenticated=True,
) -> EmailMessage:
    """A mail as the gateway passes it on: with its Authentication-Results (dmarc=pass for the
    From domain) unless `authenticated` is False."""
    msg = EmailMessage()
    if sender is not None:
        msg["From"] = sender
        if authenticated:
            domain = sender.rstrip(">").rsplit("@", 1)[-1]
            msg["Authentication-Results"] = f"mx.samnav.test; dmarc=pass header.from={domain}"
    msg["To"] = SUPPORT
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="alpha.example")
    for name, value in (headers or {}).items():
        msg[name] = value
    if body is not None:
        msg.set_content(body)
    if html is not None:
        if body is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    for filename, content, maintype, subtype in files:
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def post(raw: bytes, token: str | None = TOKEN, host="localhost"):
    headers = {} if token is None else {"HTTP_X_SAMNAV_TOKEN": token}
    return Client(HTTP_HOST=host).post(
        "/inbound/email/", data=raw, content_type="message/rfc822", **headers
    )


def deliver(capture, raw: bytes, **kwargs):
    """Post, then run what waits for the commit (the outgoing mail)."""
    with capture(execute=True):
        return post(raw, **kwargs)


def tickets(agency):
    with schema_context(agency.schema_name):
        return list(Ticket.objects.order_by("pk"))


def ticket_id(response) -> int:
    return int(response.json()["ticket"].rsplit("-", 1)[1].rstrip("]"))


# --- New mail, replies, attachments -----------------------------------------------------------


def test_a_new_mail_opens_a_ticket_keeps_its_files_and_is_acknowledged_over_smtp(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    # given a mail from alpha's staff member with a PDF and a PNG
    msg = mail(files=[("kvitto.pdf", PDF, "application", "pdf"), ("bild.png", PNG, "image", "png")])
    # when the gateway posts it
    r = deliver(django_capture_on_commit_callbacks, msg.as_bytes())
    # then a ticket (channel e-mail) is opened in alpha for that person, with the text and files
    assert r.status_code == 201
    pk = ticket_id(r)
    assert r.json() == {"status": "opened", "ticket": f"[SN#alpha-{pk}]", "dropped": []}
    with schema_context("agency_alpha"):
        t = Ticket.objects.get(pk=pk)
        assert (t.channel, t.subject, t.requester_id) == (
            Channel.EMAIL,
            "Skrivaren på plan 3 skriver inte ut",
            people["alpha-staff"].pk,
        )
        m = t.messages.get()
        assert m.body == "Pappersstopp i lådan, och lampan blinkar rött."
        assert (m.channel, m.email_message_id) == (Channel.EMAIL, msg["Message-ID"])
        files = {
            a.filename: (a.content_type, a.size, a.sha256, bytes(a.content))
            for a in Attachment.objects.filter(message=m)
        }
    assert files == {
        "kvitto.pdf": ("application/pdf", len(PDF), hashlib.sha256(PDF).hexdigest(), PDF),
        "bild.png": ("image/png", len(PNG), hashlib.sha256(PNG).hexdigest(), PNG),
    }
    assert tickets(federation.beta) == []
    # and the SMTP server received one acknowledgement with the reference, threaded
    [(mail_from, rcpt, _raw)] = smtp.received
    [ack] = smtp.messages()
    assert (mail_from, rcpt) == (SUPPORT, ["staff@alpha.example"])
    assert smtp.subjects() == [f"Received: Skrivaren på plan 3 skriver inte ut [SN#alpha-{pk}]"]
    assert ack["In-Reply-To"] == msg["Message-ID"]
    assert ack["Auto-Submitted"] == "auto-replied"
    assert f"[SN#alpha-{pk}]" in ack.get_body().get_content()


def test_a_reply_with_the_reference_in_its_subject_is_added_to_the_ticket(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    # given a ticket opened by mail
    first = deliver(django_capture_on_commit_callbacks, mail().as_bytes())
    pk = ticket_id(first)
    # when the requester answers with the reference in the subject (no thread headers)
    reply = mail(subject=f"SV: Received: Skrivaren [SN#alpha-{pk}]", body="Nu fungerar den igen.")
    r = deliver(django_capture_on_commit_callbacks, reply.as_bytes())
    # then it is added to that ticket, and nothing new is opened
    assert (r.status_code, r.json()["status"], ticket_id(r)) == (200, "replied", pk)
    with schema_context("agency_alpha"):
        assert Ticket.objects.count() == 1
        bodies = list(TicketMessage.objects.filter(ticket_id=pk).values_list("body", "channel"))
    assert bodies == [
        ("Pappersstopp i lådan, och lampan blinkar rött.", "email"),
        ("Nu fungerar den igen.", "email"),
    ]
    # and the requester's own reply is not mailed back to them (only the first ack was sent)
    assert len(smtp.received) == 1


def test_an_agents_reply_is_mailed_and_the_answer_threads_by_in_reply_to(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    # given a ticket opened by mail, and an agent's public reply notified to the requester
    pk = ticket_id(deliver(django_capture_on_commit_callbacks, mail().as_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        answer = actions.add_message(
            federation.alpha,
            pk,
            body="Har du provat att byta toner?",
            channel=Channel.API,
            actor=federation.user("desk"),
        )
        email_out.notify_requester(federation.alpha, answer.ticket, answer)
        # a second call for the same message sends nothing
        assert email_out.notify_requester(federation.alpha, answer.ticket, answer) is None
    # then the SMTP server got the reply, with the reference and a Message-ID stored on it
    assert len(smtp.received) == 2
    sent = smtp.messages()[1]
    with schema_context("agency_alpha"):
        stored = TicketMessage.objects.get(pk=answer.pk).email_message_id
    assert smtp.subjects()[1] == f"Re: Skrivaren på plan 3 skriver inte ut [SN#alpha-{pk}]"
    # (a long id is folded onto its own line: the parsed header keeps the fold's space)
    assert str(sent["Message-ID"]).strip() == stored
    assert stored.startswith("<") and stored.endswith(">")
    assert sent.get_body().get_content().startswith("Har du provat att byta toner?")
    # when the requester answers with a subject that lost the reference, but In-Reply-To kept
    reply = mail(subject="Svar", body="Ja, det hjälpte inte.", headers={"In-Reply-To": stored})
    r = deliver(django_capture_on_commit_callbacks, reply.as_bytes())
    # then the answer lands on the same ticket
    assert (r.json()["status"], ticket_id(r)) == ("replied", pk)
    with schema_context("agency_alpha"):
        assert list(TicketMessage.objects.filter(ticket_id=pk).values_list("body", flat=True)) == [
            "Pappersstopp i lådan, och lampan blinkar rött.",
            "Har du provat att byta toner?",
            "Ja, det hjälpte inte.",
        ]


def test_a_colleagues_mail_with_the_reference_is_filed_on_the_ticket_without_following_it(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    # given the admin's ticket opened by mail
    admins = mail(sender="admin@alpha.example", subject="Behörighet till G:")
    pk = ticket_id(deliver(django_capture_on_commit_callbacks, admins.as_bytes()))
    # when a colleague writes with that ticket's reference in the subject only
    r = deliver(
        django_capture_on_commit_callbacks,
        mail(subject=f"Re: Behörighet till G: [SN#alpha-{pk}]", body="Jag med").as_bytes(),
    )
    # then the mail is added to that ticket, as the colleague's, and forks nothing
    assert (r.json()["status"], ticket_id(r)) == ("replied", pk)
    with schema_context("agency_alpha"):
        assert Ticket.objects.count() == 1
        last = TicketMessage.objects.filter(ticket_id=pk).latest("pk")
        assert (last.body, last.author_person_id) == ("Jag med", people["alpha-staff"].pk)
        # but a subject anyone could type proves nothing: they do not follow the ticket
        assert not Ticket.objects.get(pk=pk).followers.exists()


def test_a_reply_to_a_closed_ticket_opens_a_new_one(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    # given a ticket opened by mail and closed by the service desk
    pk = ticket_id(deliver(django_capture_on_commit_callbacks, mail().as_bytes()))
    actions.change_state(federation.alpha, federation.user("desk"), pk, "closed")
    # when the requester replies to it
    r = deliver(
        django_capture_on_commit_callbacks,
        mail(subject=f"Re: [SN#alpha-{pk}]", body="Det krånglar igen").as_bytes(),
    )
    # then the mail is not lost: it opens a new ticket
    assert r.json()["status"] == "opened" and ticket_id(r) != pk
    with schema_context("agency_alpha"):
        assert TicketMessage.objects.filter(ticket_id=pk).count() == 1
        assert Ticket.objects.get(pk=ticket_id(r)).description == "Det krånglar igen"


def test_another_agencys_reference_never_reaches_that_agency(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    # given a ticket in beta, opened by beta's staff member
    beta_pk = ticket_id(
        deliver(django_capture_on_commit_callbacks, mail(sender="staff@beta.example").as_bytes())
    )
    # when alpha's staff member writes with beta's reference in the subject
    r = deliver(
        django_capture_on_commit_callbacks,
        mail(subject=f"Re: [SN#beta-{beta_pk}] jag med").as_bytes(),
    )
    # then it is filed in alpha (the sender's agency), and beta's ticket is untouched
    assert r.json()["status"] == "opened" and r.json()["ticket"].startswith("[SN#alpha-")
    with schema_context("agency_beta"):
        assert TicketMessage.objects.filter(ticket_id=beta_pk).count() == 1
    assert len(tickets(federation.alpha)) == 1


def test_bad_attachments_are_dropped_but_the_mail_is_filed_and_the_sender_told(
    federation, people, smtp, settings, django_capture_on_commit_callbacks
):
    # given a 2,000-byte limit, and a mail with a good PDF, a too large PDF and an executable
    settings.SAMNAV_ATTACHMENT_MAX_BYTES = 2000
    big = PDF + b"0" * 2500
    msg = mail(
        files=[
            ("ok.pdf", PDF, "application", "pdf"),
            ("stor.pdf", big, "application", "pdf"),
            ("faktura.pdf.exe", b"MZ\x90\x00" + b"\x00" * 64, "application", "octet-stream"),
        ]
    )
    # when it is posted
    r = deliver(django_capture_on_commit_callbacks, msg.as_bytes())
    # then the ticket is opened with the text and the good file; the others are named
    assert r.status_code == 201
    assert r.json()["dropped"] == ["stor.pdf", "faktura.pdf.exe"]
    pk = ticket_id(r)
    with schema_context("agency_alpha"):
        m = TicketMessage.objects.get(ticket_id=pk)
        assert list(Attachment.objects.filter(message=m).values_list("filename", flat=True)) == [
            "ok.pdf"
        ]
    assert m.body.startswith("Pappersstopp i lådan, och lampan blinkar rött.\n\n")
    assert f"[Attachment not kept: stor.pdf. stor.pdf is {len(big)} bytes; at most 2000" in m.body
    assert "[Attachment not kept: faktura.pdf.exe. faktura.pdf.exe is not an accepted" in m.body
    # and the sender got the acknowledgement and a note of what was not kept
    assert smtp.subjects() == [
        f"Received: Skrivaren på plan 3 skriver inte ut [SN#alpha-{pk}]",
        f"Attachments not kept [SN#alpha-{pk}]",
    ]
    note = smtp.messages()[1].get_body().get_content()
    assert "- stor.pdf: " in note and "- faktura.pdf.exe: " in note


def test_an_html_only_mail_is_filed_as_its_visible_text(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    html = (
        "<html><head><style>p {color: red}</style></head><body><p>Hej!</p>"
        "<p>VPN:en <b>kopplar ner</b> var 5:e minut &amp; jag tappar Teams.</p>"
        "<script>alert(1)</script></body></html>"
    )
    r = deliver(django_capture_on_commit_callbacks, mail(body=None, html=html).as_bytes())
    with schema_context("agency_alpha"):
        body = TicketMessage.objects.get(ticket_id=ticket_id(r)).body
    assert body == "Hej!\nVPN:en kopplar ner var 5:e minut & jag tappar Teams."


def test_the_same_message_delivered_twice_is_filed_once(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    raw = mail().as_bytes()
    first = deliver(django_capture_on_commit_callbacks, raw)
    again = deliver(django_capture_on_commit_callbacks, raw)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {"status": "duplicate", "ticket": None, "dropped": []}
    assert len(tickets(federation.alpha)) == 1
    assert len(smtp.received) == 1


# --- Senders we cannot place, malformed mail, automatic mail ----------------------------------


def test_an_unknown_sender_is_asked_who_they_are_and_nothing_is_filed(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    msg = mail(sender="Okänd <someone@elsewhere.example>", subject="Hjälp")
    r = deliver(django_capture_on_commit_callbacks, msg.as_bytes())
    assert (r.status_code, r.json()["status"]) == (202, "unknown_sender")
    assert tickets(federation.alpha) == [] and tickets(federation.beta) == []
    [(_from, rcpt, _raw)] = smtp.received
    [reply] = smtp.messages()
    assert rcpt == ["someone@elsewhere.example"]
    assert smtp.subjects() == ["Who are you? Re: Hjälp"]
    assert reply["In-Reply-To"] == msg["Message-ID"]
    assert "Nothing has been registered" in reply.get_body().get_content()


def test_an_address_in_two_agencies_is_asked_who_they_are_and_nothing_is_filed(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    # given the same address in alpha and beta
    for agency in (federation.alpha, federation.beta):
        with schema_context(agency.schema_name):
            Person.objects.create(name="Kim", email="kim@shared.example")
    r = deliver(django_capture_on_commit_callbacks, mail(sender="kim@shared.example").as_bytes())
    assert (r.status_code, r.json()["status"]) == (202, "ambiguous_sender")
    assert tickets(federation.alpha) == [] and tickets(federation.beta) == []
    [reply] = smtp.messages()
    assert reply["To"] == "kim@shared.example"
    assert "more than one agency" in reply.get_body().get_content()


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (mail(sender=None).as_bytes(), "The message has no From header."),
        (
            mail(sender="a@alpha.example, staff@alpha.example").as_bytes(),
            "The From header does not hold exactly one e-mail address.",
        ),
        (b"\x00\x01\x02 this is not a mail at all", "The message has no From header."),
        (b"   \r\n", "The message is empty."),
    ],
    ids=["no-from", "two-senders", "binary-junk", "empty"],
)
def test_a_malformed_message_is_rejected_and_nothing_is_filed(
    raw, error, federation, people, smtp, django_capture_on_commit_callbacks
):
    r = deliver(django_capture_on_commit_callbacks, raw)
    assert (r.status_code, r.json()) == (400, {"status": "rejected", "error": error})
    assert tickets(federation.alpha) == [] and tickets(federation.beta) == []
    assert smtp.received == []


def test_automatic_mail_is_neither_filed_nor_answered(
    federation, people, smtp, django_capture_on_commit_callbacks
):
    # an out-of-office from an unknown address, and a bounce: answering them would loop
    for sender, headers in (
        ("someone@elsewhere.example", {"Auto-Submitted": "auto-replied"}),
        ("MAILER-DAEMON@elsewhere.example", {}),
    ):
        r = deliver(django_capture_on_commit_callbacks, mail(sender, headers=headers).as_bytes())
        assert (r.status_code, r.json()["status"]) == (202, "ignored")
    assert smtp.received == []
    assert tickets(federation.alpha) == []


# --- The gateway's secret ---------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "wrong-secret", TOKEN + "x"])
def test_without_the_gateways_secret_the_mail_is_refused_and_logged(
    token, federation, people, smtp, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.WARNING, logger="samnav.support.inbound"):
        r = deliver(django_capture_on_commit_callbacks, mail().as_bytes(), token=token)
    assert r.status_code == 403
    assert tickets(federation.alpha) == [] and smtp.received == []
    ours = [r.getMessage() for r in caplog.records if r.name == "samnav.support.inbound"]
    assert len(ours) == 1 and ours[0].startswith("inbound e-mail refused: ")
    assert ours[0].endswith("(from 127.0.0.1)")


def test_an_unset_secret_refuses_everything(federation, people, settings, caplog):
    settings.SAMNAV_INBOUND_EMAIL_TOKEN = ""
    with caplog.at_level(logging.WARNING, logger="samnav.support.inbound"):
        r = post(mail().as_bytes(), token="")
    assert r.status_code == 403
    assert "SAMNAV_INBOUND_EMAIL_TOKEN is not set" in caplog.text
    assert tickets(federation.alpha) == []


def test_the_endpoint_is_on_the_central_host_only_and_takes_raw_messages(federation, people):
    assert post(mail().as_bytes(), host="alpha.localhost").status_code == 404
    r = Client(HTTP_HOST="localhost").post(
        "/inbound/email/", data={"from": "x"}, HTTP_X_SAMNAV_TOKEN=TOKEN
    )
    assert r.status_code == 415
    assert Client(HTTP_HOST="localhost").get("/inbound/email/").status_code == 405
    assert tickets(federation.alpha) == []


def test_a_message_above_the_size_limit_is_refused(federation, people, settings):
    settings.SAMNAV_INBOUND_EMAIL_MAX_BYTES = 500
    r = post(mail(body="x" * 1000).as_bytes())
    assert r.status_code == 413
    assert tickets(federation.alpha) == []


# --- The IMAP mailbox -------------------------------------------------------------------------


class Mailbox(socketserver.ThreadingTCPServer):
    """Just enough IMAP4rev1 for imaplib: CAPABILITY, LOGIN, SELECT, SEARCH UNSEEN,
    FETCH (BODY.PEEK[]), STORE +FLAGS, LOGOUT. Messages are (raw, flags)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, messages, user="support", password="imap pass"):
        super().__init__(("127.0.0.1", 0), _ImapHandler)
        self.messages = [{"raw": raw, "flags": set()} for raw in messages]
        self.user, self.password = user, password
        self.commands: list[str] = []
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def flags(self) -> list[set[str]]:
        return [m["flags"] for m in self.messages]


class _ImapHandler(socketserver.StreamRequestHandler):
    def send(self, line: str | bytes) -> None:
        self.wfile.write((line.encode() if isinstance(line, str) else line) + b"\r\n")

    def handle(self):
        box: Mailbox = self.server
        self.send("* OK fake IMAP4rev1 ready")
        authed = False
        while line := self.rfile.readline():
            tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            box.commands.append(command)
            if command == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1")
            elif command == "LOGIN":
                if shlex.split(args) != [box.user, box.password]:
                    self.send(f"{tag} NO bad credentials")
                    continue
                authed = True
            elif command == "SELECT" and authed:
                self.send(f"* {len(box.messages)} EXISTS")
                self.send("* 0 RECENT")
                self.send(f"{tag} OK [READ-WRITE] SELECT completed")
                continue
            elif command == "SEARCH" and args.upper() == "UNSEEN":
                unseen = [
                    str(i + 1) for i, m in enumerate(box.messages) if "\\Seen" not in m["flags"]
                ]
                self.send("* SEARCH " + " ".join(unseen))
            elif command == "FETCH" and args.endswith("(BODY.PEEK[])"):
                num = int(args.split()[0])
                raw = box.messages[num - 1]["raw"]
                self.send(f"* {num} FETCH (BODY[] {{{len(raw)}}}".encode() + b"\r\n" + raw + b")")
            elif command == "STORE":
                num, op, flags = args.split(" ", 2)
                assert op == "+FLAGS"
                now = box.messages[int(num) - 1]["flags"]
                now |= set(flags.strip("()").split())
                self.send(f"* {num} FETCH (FLAGS ({' '.join(sorted(now))}))")
            elif command == "LOGOUT":
                self.send("* BYE logging out")
                self.send(f"{tag} OK LOGOUT completed")
                return
            else:
                self.send(f"{tag} BAD unsupported")
                continue
            self.send(f"{tag} OK {command} completed")


@pytest.fixture
def mailbox(settings):
    boxes = []

    def start(messages):
        box = Mailbox(messages)
        box.thread.start()
        boxes.append(box)
        settings.SAMNAV_IMAP_HOST, settings.SAMNAV_IMAP_PORT = "127.0.0.1", box.server_address[1]
        settings.SAMNAV_IMAP_SSL = False
        settings.SAMNAV_IMAP_USER, settings.SAMNAV_IMAP_PASSWORD = box.user, box.password
        settings.SAMNAV_IMAP_MAILBOX = "INBOX"
        return box

    yield start
    for box in boxes:
        box.shutdown()
        box.server_close()


def test_the_poll_task_files_unseen_mail_and_marks_it_seen_only_once_handled(
    federation, people, smtp, mailbox, monkeypatch, django_capture_on_commit_callbacks
):
    # given a mailbox with: a new mail, a malformed one, a stranger's, a mail whose Message-ID
    # is already filed, and one whose processing fails this time
    filed_before = mail(subject="Redan registrerat")
    deliver(django_capture_on_commit_callbacks, filed_before.as_bytes())
    smtp.received.clear()
    flaky = mail(subject="Skärmen flimrar", body="Flimmer", headers={"X-Test": "flaky"})
    box = mailbox(
        [
            mail(subject="Ny dator behövs", body="Min dator är sju år gammal.").as_bytes(),
            mail(sender=None).as_bytes(),
            mail(sender="someone@elsewhere.example").as_bytes(),
            filed_before.as_bytes(),
            flaky.as_bytes(),
        ]
    )
    real_process = email_in.process

    def failing_once(raw):
        if b"X-Test: flaky" in raw:
            raise ConnectionError("database went away")
        return real_process(raw)

    monkeypatch.setattr(email_in, "process", failing_once)
    # when the periodic task runs
    with django_capture_on_commit_callbacks(execute=True):
        counts = email_in.poll_mailbox.delay().get()
    # then the new mail is filed, the stranger answered, the duplicate skipped, the malformed
    # flagged; the failed one is left unseen
    assert counts == {
        "seen": 5,
        "opened": 1,
        "replied": 0,
        "duplicate": 1,
        "unknown_sender": 1,
        "ambiguous_sender": 0,
        "ignored": 0,
        "held": 0,
        "rejected": 1,
        "failed": 1,
    }
    assert box.flags() == [{"\\Seen"}, {"\\Seen", "\\Flagged"}, {"\\Seen"}, {"\\Seen"}, set()]
    assert [t.subject for t in tickets(federation.alpha)] == [
        "Redan registrerat",
        "Ny dator behövs",
    ]
    assert sorted(m["To"] for m in smtp.messages()) == [
        "someone@elsewhere.example",
        "staff@alpha.example",
    ]
    assert box.commands[:3] == ["CAPABILITY", "LOGIN", "SELECT"]
    assert box.commands[-1] == "LOGOUT"
    # when it runs again and the failure has passed
    monkeypatch.setattr(email_in, "process", real_process)
    with django_capture_on_commit_callbacks(execute=True):
        again = email_in.poll_mailbox.delay().get()
    # then only the message left unseen is read, and filed
    assert (again["seen"], again["opened"]) == (1, 1)
    assert box.flags()[4] == {"\\Seen"}
    assert [t.subject for t in tickets(federation.alpha)][-1] == "Skärmen flimrar"


def test_the_poll_task_does_nothing_without_a_mailbox(settings):
    settings.SAMNAV_IMAP_HOST = ""
    assert email_in.poll_mailbox.delay().get() == {"skipped": 1}


def test_the_mailbox_is_polled_by_beat_only_when_a_host_is_configured():
    import os
    import subprocess
    import sys

    code = (
        "from config.settings import base; "
        "print(base.CELERY_BEAT_SCHEDULE.get('support-poll-mailbox', {}).get('task'))"
    )
    runs = {}
    for host in ("", "imap.example.se"):
        env = {**os.environ, "SAMNAV_IMAP_HOST": host, "SAMNAV_IMAP_POLL_SECONDS": "30"}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        runs[host] = done.stdout.strip()
    assert runs == {
        "": "None",
        "imap.example.se": "services.support.channels.email_in.poll_mailbox",
    }
