"""Identity providers started by the tests: a node oidc-provider per test (it reads the
tests' clock when it starts, and every test starts the clock afresh), and a pysaml2 IdP."""

from __future__ import annotations

import pytest

from tests.federation.helpers import SECRET, SECRET_ENV, OidcProvider, oidc_client
from tests.federation.saml_idp import SamlIdP

ACCOUNTS = {
    "anna": {
        "email": "anna.andersson@alfa.example",
        "email_verified": True,
        "name": "Anna Andersson",
        "groups": ["samnav-admins"],
    },
    "bo": {
        "email": "bo.berg@beta.example",
        "email_verified": True,
        "name": "Bo Berg",
        "groups": ["samnav-users"],
    },
    "cecilia": {"email": "cecilia@alfa.example", "name": "Cecilia Carlsson", "groups": []},
    "desk": {"email": "desk@it.example", "name": "Dag Desk", "groups": ["it-desk"]},
}


@pytest.fixture
def oidc(federation, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, SECRET)
    clients = [
        oidc_client(federation.alpha, "alpha-entra"),
        oidc_client(federation.beta, "beta-entra"),
        oidc_client(None, "public-entra"),
    ]
    provider = OidcProvider(clients, ACCOUNTS)
    yield provider
    provider.stop()


@pytest.fixture
def saml_idp():
    idp = SamlIdP().start()
    yield idp
    idp.stop()
