"""The SMS channel through its real entry points: the signed webhook /inbound/sms/ on the
central host, and the 46elks provider against a local HTTP server that checks the request."""

from __future__ import annotations

import base64
import json
import logging
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services.outbox import sms as sms_out
from services.outbox.sms import RecordingSmsProvider, SentSms
from services.people.models import Person
from services.support.channels import sms
from services.support.models import Channel, Ticket, TicketMessage

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret-for-tests"


@pytest.fixture(autouse=True)
def sms_settings(settings):
    settings.SAMNAV_SMS_WEBHOOK_SECRET = SECRET
    settings.SAMNAV_SMS_PROVIDER = "recording"
    RecordingSmsProvider.outbox.clear()
    yield
    RecordingSmsProvider.outbox.clear()


@pytest.fixture
def phones(federation, people):
    """Alpha's staff member and beta's admin have mobile numbers, typed as people do."""
    with schema_context("agency_alpha"):
        Person.objects.filter(pk=people["alpha-staff"].pk).update(phone="070-123 45 67")
    with schema_context("agency_beta"):
        Person.objects.filter(pk=people["beta-admin"].pk).update(phone="+46 73 555 66 77")
    return people


def webhook(capture, body: bytes, content_type: str, signature: str | None = "sign"):
    signed = sms.signed_headers(SECRET, body)
    headers = {"HTTP_X_SAMNAV_TIMESTAMP": signed[sms.TIMESTAMP_HEADER]}
    if signature == "sign":
        headers["HTTP_X_SAMNAV_SIGNATURE"] = signed[sms.SIGNATURE_HEADER]
    elif signature is not None:
        headers["HTTP_X_SAMNAV_SIGNATURE"] = signature
    with capture(execute=True):
        return Client(HTTP_HOST="localhost").post(
            "/inbound/sms/", data=body, content_type=content_type, **headers
        )


def form(**fields) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def tickets(schema):
    with schema_context(schema):
        return list(Ticket.objects.order_by("pk"))


def test_a_signed_sms_opens_a_ticket_and_is_answered(
    federation, phones, django_capture_on_commit_callbacks
):
    # given a form-encoded webhook as the provider sends it, with an E.164 number
    body = form(
        **{"from": "+46701234567", "to": "+46766860000", "message": "Skrivaren är trasig\nIgen."}
    )
    # when it is posted, signed
    r = webhook(django_capture_on_commit_callbacks, body, "application/x-www-form-urlencoded")
    # then a ticket (channel SMS) is opened for alpha's staff member, and answered by SMS
    assert r.status_code == 201
    [t] = tickets("agency_alpha")
    assert r.json() == {"status": "opened", "ticket": f"SN{t.pk}"}
    assert (t.channel, t.subject, t.requester_id) == (
        Channel.SMS,
        "Skrivaren är trasig",
        phones["alpha-staff"].pk,
    )
    with schema_context("agency_alpha"):
        assert list(t.messages.values_list("body", "channel")) == [
            ("Skrivaren är trasig\nIgen.", "sms")
        ]
    assert tickets("agency_beta") == []
    assert RecordingSmsProvider.outbox == [
        SentSms(
            "+46701234567",
            f"Thank you, your ticket is registered as SN{t.pk}. Start a message with SN{t.pk} "
            "to add to it.",
        )
    ]


def test_a_message_starting_with_the_reference_is_added_to_that_ticket(
    federation, phones, django_capture_on_commit_callbacks
):
    # given an open SMS ticket of beta's admin
    first = webhook(
        django_capture_on_commit_callbacks,
        json.dumps({"from": "0735556677", "message": "Kan inte logga in"}).encode(),
        "application/json",
    )
    pk = int(first.json()["ticket"][2:])
    # when they send a JSON webhook starting with its reference
    r = webhook(
        django_capture_on_commit_callbacks,
        json.dumps({"from": "+46735556677", "message": f"SN{pk}: nu går det igen"}).encode(),
        "application/json",
    )
    # then the text is added to that ticket, without the reference
    assert (r.status_code, r.json()) == (200, {"status": "replied", "ticket": f"SN{pk}"})
    with schema_context("agency_beta"):
        assert list(TicketMessage.objects.filter(ticket_id=pk).values_list("body", flat=True)) == [
            "Kan inte logga in",
            "nu går det igen",
        ]
        assert Ticket.objects.count() == 1
    assert RecordingSmsProvider.outbox[-1] == SentSms(
        "+46735556677", f"Added to your ticket SN{pk}."
    )


def test_a_reference_to_a_ticket_that_is_not_theirs_opens_a_new_one(
    federation, phones, django_capture_on_commit_callbacks
):
    # given a ticket of alpha's admin (not the sender's)
    with schema_context("agency_alpha"):
        from services.support import actions

        theirs = actions.open_ticket(
            federation.alpha,
            phones["alpha-admin"],
            actions.NewTicket(subject="Adminens ärende"),
            channel=Channel.WEB,
        )
    # when alpha's staff member writes with its reference
    r = webhook(
        django_capture_on_commit_callbacks,
        form(**{"from": "+46701234567", "message": f"SN{theirs.pk} vad händer?"}),
        "application/x-www-form-urlencoded",
    )
    # then a new ticket of their own is opened, and the admin's ticket is untouched
    assert r.json()["status"] == "opened"
    with schema_context("agency_alpha"):
        assert TicketMessage.objects.filter(ticket_id=theirs.pk).count() == 1
        new = Ticket.objects.get(pk=int(r.json()["ticket"][2:]))
        assert new.requester_id == phones["alpha-staff"].pk


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=" + "0" * 64, sms.sign("another-secret", b"x", 0), "tampered"],
    ids=["missing", "empty", "zeros", "other-secret", "tampered-body"],
)
def test_a_request_without_a_valid_signature_is_refused_logged_and_files_nothing(
    signature, federation, phones, caplog, django_capture_on_commit_callbacks
):
    body = form(**{"from": "+46701234567", "message": "Hej"})
    if signature == "tampered":  # signed, then changed on the way
        signature = sms.signed_headers(SECRET, body)[sms.SIGNATURE_HEADER]
        body = form(**{"from": "+46701234567", "message": "Hej!"})
    with caplog.at_level(logging.WARNING, logger="samnav.support.inbound"):
        r = webhook(
            django_capture_on_commit_callbacks,
            body,
            "application/x-www-form-urlencoded",
            signature=signature,
        )
    assert r.status_code == 403
    assert tickets("agency_alpha") == [] and RecordingSmsProvider.outbox == []
    ours = [x.getMessage() for x in caplog.records if x.name == "samnav.support.inbound"]
    assert ours == ["inbound SMS refused: missing, bad or stale signature (from 127.0.0.1)"]


def test_an_unset_secret_refuses_even_a_signature_made_with_it(
    federation, phones, settings, django_capture_on_commit_callbacks
):
    settings.SAMNAV_SMS_WEBHOOK_SECRET = ""
    body = form(**{"from": "+46701234567", "message": "Hej"})
    r = webhook(
        django_capture_on_commit_callbacks,
        body,
        "application/x-www-form-urlencoded",
        signature=sms.signed_headers("", body)[sms.SIGNATURE_HEADER],
    )
    assert r.status_code == 403
    assert tickets("agency_alpha") == []


def test_an_unknown_number_is_asked_who_they_are_and_nothing_is_filed(
    federation, phones, django_capture_on_commit_callbacks
):
    r = webhook(
        django_capture_on_commit_callbacks,
        form(**{"from": "+46709999999", "message": "Hjälp"}),
        "application/x-www-form-urlencoded",
    )
    assert (r.status_code, r.json()) == (202, {"status": "unknown_sender", "ticket": None})
    assert tickets("agency_alpha") == [] and tickets("agency_beta") == []
    assert RecordingSmsProvider.outbox == [
        SentSms(
            "+46709999999",
            "We do not recognise your number, so nothing was registered. Please reply with "
            "your name and agency, or use your agency's support portal.",
        )
    ]


def test_a_number_in_two_agencies_is_asked_who_they_are_and_nothing_is_filed(
    federation, phones, django_capture_on_commit_callbacks
):
    with schema_context("agency_beta"):
        Person.objects.create(name="Dubbel", phone="0701234567")
    r = webhook(
        django_capture_on_commit_callbacks,
        form(**{"from": "+46701234567", "message": "Hjälp"}),
        "application/x-www-form-urlencoded",
    )
    assert r.json()["status"] == "ambiguous_sender"
    assert tickets("agency_alpha") == [] and tickets("agency_beta") == []
    assert [s.to for s in RecordingSmsProvider.outbox] == ["+46701234567"]
    assert "more than one agency" in RecordingSmsProvider.outbox[0].text


@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        (
            form(**{"from": "+46701234567", "message": "  "}),
            "application/x-www-form-urlencoded",
            "The message is empty.",
        ),
        (form(message="Hej"), "application/x-www-form-urlencoded", "Not a phone number."),
        (b"{not json", "application/json", "Not valid JSON."),
        (b"[1, 2]", "application/json", "Not valid JSON."),
    ],
    ids=["empty-text", "no-number", "bad-json", "json-list"],
)
def test_bad_input_is_rejected_and_files_nothing(
    body, content_type, error, federation, phones, django_capture_on_commit_callbacks
):
    r = webhook(django_capture_on_commit_callbacks, body, content_type)
    assert (r.status_code, r.json()) == (400, {"status": "rejected", "error": error})
    assert tickets("agency_alpha") == [] and RecordingSmsProvider.outbox == []


# --- The 46elks provider, against a local HTTP server -----------------------------------------


class FakeElks(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, status=200, answer=b'{"id": "s1f2e3", "status": "created"}', headers=None):
        super().__init__(("127.0.0.1", 0), _ElksHandler)
        self.status, self.answer, self.extra = status, answer, headers or {}
        self.requests: list[dict] = []
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/a1/sms"


class _ElksHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length).decode()
        self.server.requests.append(
            {
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "content_type": self.headers.get("Content-Type"),
                "form": {k: v[0] for k, v in urllib.parse.parse_qs(body).items()},
            }
        )
        self.send_response(self.server.status)
        for name, value in self.server.extra.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.answer)))
        self.end_headers()
        self.wfile.write(self.server.answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def elks():
    servers = []

    def start(**kwargs):
        server = FakeElks(**kwargs)
        server.thread.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def provider(url: str) -> sms_out.FortySixElks:
    return sms_out.FortySixElks("u3f9a", "secret-pass", "Samnav", url, timeout=5)


def test_46elks_posts_the_form_with_basic_auth(elks):
    server = elks()
    sms_id = provider(server.url).send("+46701234567", "Ärende SN12 är löst")
    assert sms_id == "s1f2e3"
    assert server.requests == [
        {
            "path": "/a1/sms",
            "authorization": "Basic " + base64.b64encode(b"u3f9a:secret-pass").decode(),
            "content_type": "application/x-www-form-urlencoded",
            "form": {"from": "Samnav", "to": "+46701234567", "message": "Ärende SN12 är löst"},
        }
    ]


@pytest.mark.parametrize(
    ("status", "error", "headers"),
    [
        (401, sms_out.SmsSendError, None),
        (403, sms_out.SmsSendError, None),
        (302, sms_out.SmsSendError, {"Location": "http://127.0.0.1:9/elsewhere"}),
        (503, sms_out.SmsTemporaryError, None),
        (429, sms_out.SmsTemporaryError, None),
    ],
)
def test_46elks_raises_on_any_answer_but_2xx(status, error, headers, elks):
    server = elks(status=status, answer=b"nope", headers=headers)
    with pytest.raises(error, match=f"46elks answered {status}"):
        provider(server.url).send("+46701234567", "Hej")
    assert len(server.requests) == 1  # and no redirect was followed
    assert issubclass(sms_out.SmsTemporaryError, OSError)  # retried by the task
    assert not issubclass(sms_out.SmsSendError, OSError)  # not retried


def test_46elks_refuses_a_url_that_is_not_http():
    with pytest.raises(ValueError):
        sms_out.FortySixElks("u", "p", "Samnav", "file:///etc/passwd", timeout=1)


def test_the_unknown_sender_reply_goes_out_through_46elks_when_selected(
    federation, phones, settings, elks, django_capture_on_commit_callbacks
):
    # given the 46elks provider, configured by settings, at the local server
    server = elks()
    settings.SAMNAV_SMS_PROVIDER = "46elks"
    settings.SAMNAV_46ELKS_URL = server.url
    settings.SAMNAV_46ELKS_USERNAME, settings.SAMNAV_46ELKS_PASSWORD = "u3f9a", "secret-pass"
    settings.SAMNAV_SMS_SENDER = "Samnav"
    # when an unknown number writes
    webhook(
        django_capture_on_commit_callbacks,
        form(**{"from": "+46709999999", "message": "Hej"}),
        "application/x-www-form-urlencoded",
    )
    # then the reply was POSTed to 46elks
    assert [(r["form"]["to"], r["form"]["from"]) for r in server.requests] == [
        ("+46709999999", "Samnav")
    ]
    assert RecordingSmsProvider.outbox == []


def test_an_unknown_provider_name_is_an_error(settings):
    settings.SAMNAV_SMS_PROVIDER = "carrier-pigeon"
    with pytest.raises(ValueError, match="unknown SMS provider"):
        sms_out.provider()
