"""The SMS webhook resists replay (issue 18): the signature covers the time of sending and is
refused outside SAMNAV_SMS_WEBHOOK_TOLERANCE; a delivery taken before (by the provider's id, or
the same signed request) files nothing and is answered as it was; an oversized request is
refused, a long text is cut and says so, and a field that is not text is refused by name."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services.outbox.sms import RecordingSmsProvider
from services.support.channels import sms
from services.support.inbound.models import Delivery
from services.support.models import Ticket
from tests.support.test_channel_sms import SECRET, form, phones, sms_settings, tickets

__all__ = ["phones", "sms_settings"]  # fixtures used here

pytestmark = pytest.mark.django_db


def _post(capture, body: bytes, *, timestamp: int | None = None, content_type=None):
    headers = {
        f"HTTP_{k.upper().replace('-', '_')}": v
        for k, v in sms.signed_headers(SECRET, body, timestamp).items()
    }
    with capture(execute=True):
        return Client(HTTP_HOST="localhost").post(
            "/inbound/sms/",
            data=body,
            content_type=content_type or "application/x-www-form-urlencoded",
            **headers,
        )


def test_the_same_signed_request_three_times_opens_one_ticket(
    federation, phones, django_capture_on_commit_callbacks
):
    body = form(**{"from": "+46701234567", "message": "Skrivaren är trasig"})
    moment = int(time.time())
    answers = [_post(django_capture_on_commit_callbacks, body, timestamp=moment) for _ in range(3)]
    [ticket] = tickets("agency_alpha")
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert [a.json()["status"] for a in answers] == ["opened", "duplicate", "duplicate"]
    assert {a.json()["ticket"] for a in answers} == {f"SN{ticket.pk}"}
    assert len(RecordingSmsProvider.outbox) == 1  # one answer, not three


def test_a_retry_with_the_providers_id_files_nothing_new(
    federation, phones, django_capture_on_commit_callbacks
):
    fields = {"from": "+46701234567", "message": "Hej", "id": "s70df59406a1b4643b96f3f91e0bfb7b0"}
    first = _post(django_capture_on_commit_callbacks, form(**fields))
    # the provider retries a little later: a new signature, the same delivery
    again = _post(
        django_capture_on_commit_callbacks, form(**fields), timestamp=int(time.time()) + 5
    )
    assert (first.status_code, again.json()["status"]) == (201, "duplicate")
    assert len(tickets("agency_alpha")) == 1
    assert Delivery.objects.filter(key=fields["id"]).count() == 1


@pytest.mark.parametrize("age", [301, -301, 3600])
def test_a_signature_outside_the_window_is_refused(
    age, federation, phones, django_capture_on_commit_callbacks
):
    body = form(**{"from": "+46701234567", "message": "Hej"})
    answer = _post(django_capture_on_commit_callbacks, body, timestamp=int(time.time()) - age)
    assert answer.status_code == 403
    assert tickets("agency_alpha") == [] and not Delivery.objects.exists()


def test_sizes_and_types(federation, phones, django_capture_on_commit_callbacks):
    # a 2 MB body is refused before it is read as a message
    huge = form(**{"from": "+46701234567", "message": "x" * 2_000_000})
    assert _post(django_capture_on_commit_callbacks, huge).status_code == 413
    # a list where text belongs is refused, naming the field
    listed = json.dumps({"from": "+46701234567", "message": ["list"]}).encode()
    answer = _post(django_capture_on_commit_callbacks, listed, content_type="application/json")
    assert answer.status_code == 400
    assert tickets("agency_alpha") == []
    # a text over 2,000 characters is cut, and the ticket says so
    long = form(**{"from": "+46701234567", "message": "Skärmen flimrar. " + "a" * 3000})
    assert _post(django_capture_on_commit_callbacks, long).status_code == 201
    with schema_context("agency_alpha"):
        body = Ticket.objects.get().messages.get().body
    assert len(body) < 2100
    assert body.endswith("(The message was cut to 2000 characters.)")
