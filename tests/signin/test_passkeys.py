"""Passkeys on the server side (issue 19, part 4; the ceremony itself runs in a real browser:
tests/browser/test_passkeys.py): each host is its own relying party, and the second-factor
pages offer a passkey next to the authenticator app, with recovery codes for it."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken

from tests.graphql import host_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("agency", ["alpha", "beta", None])
def test_each_host_is_its_own_relying_party(federation, agency):
    host = host_of(getattr(federation, agency) if agency else None)
    client = Client(HTTP_HOST=host)
    client.force_login(federation.user(f"{agency}-staff" if agency else "desk"))
    begun = client.post("/accounts/passkeys/registration/begin/")
    assert begun.status_code == 200, begun.content[:300]
    options = json.loads(begun.content)
    assert options["rp"] == {"name": "Samnav", "id": host}
    anonymous = Client(HTTP_HOST=host).post("/accounts/passkeys/authentication/begin/")
    assert json.loads(anonymous.content)["rpId"] == host


def test_a_forged_origin_is_refused(federation):
    client = Client(HTTP_HOST=host_of(federation.alpha))
    client.force_login(federation.user("alpha-staff"))
    client.post("/accounts/passkeys/registration/begin/")
    # a response made for beta's origin (what a phishing page on another host would send)
    client_data = {
        "type": "webauthn.create",
        "challenge": "AAAA",
        "origin": "http://beta.localhost",
    }
    forged = {
        "id": "AAAA",
        "rawId": "AAAA",
        "type": "public-key",
        "response": {"clientDataJSON": json.dumps(client_data), "attestationObject": "AAAA"},
    }
    answer = client.post(
        "/accounts/passkeys/registration/complete/", forged, content_type="application/json"
    )
    assert answer.status_code >= 400


def test_the_pages_offer_a_passkey_and_recovery_codes_follow_it(federation):
    client = Client(HTTP_HOST=host_of(federation.alpha))
    user = federation.user("alpha-admin")
    client.force_login(user)
    enrol = client.get("/accounts/second-factor/enrol/").content.decode()
    assert 'id="passkey-register-button"' in enrol and "otp_webauthn_config" in enrol
    login = Client(HTTP_HOST=host_of(federation.alpha)).get("/accounts/login/").content.decode()
    assert 'id="passkey-verification-button"' in login
    # Not yet verified: no codes, on to `next`.
    assert client.get("/accounts/second-factor/recovery/?next=/").status_code == 302
    assert not StaticToken.objects.filter(device__user=user).exists()
