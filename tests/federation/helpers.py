"""Sign-in through real identity providers in tests: the npm oidc-provider under node, and
pysaml2's IdP (tests/federation/saml_idp.py). Samnav is driven with Django's test client on
the agency's host; the identity provider's side with `requests`, as a browser would follow
its redirects."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlparse

import pytest
import requests
from django.test import Client

from services.agencies.federation import actions
from tenants.viewer import Viewer
from tests.graphql import host_of

IDP_DIR = Path(__file__).parent / "oidc_idp"
NODE = shutil.which("node")
NPM = shutil.which("npm")
SECRET_ENV = "SAMNAV_TEST_OIDC_SECRET"
SECRET = "test-only-client-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_node_modules() -> None:
    if not NODE or not NPM:
        pytest.fail("node and npm are needed for the OpenID provider (tests/federation/)")
    if not (IDP_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run([NPM, "ci", "--silent", "--no-audit", "--no-fund"], cwd=IDP_DIR, check=True)


class OidcProvider:
    """panva's oidc-provider under node, on a free port, with the tests' clock."""

    def __init__(self, clients: list[dict], accounts: dict[str, dict]) -> None:
        ensure_node_modules()
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PORT": str(self.port),
            "CLIENTS": json.dumps(clients),
            "ACCOUNTS": json.dumps(accounts),
        }
        self.process = subprocess.Popen(
            [NODE, "server.mjs"],
            cwd=IDP_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line.startswith("ready"):
            self.stop()
            pytest.fail(f"the OpenID provider did not start: {line!r}")

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def oidc_client(agency, key_hint: str) -> dict:
    """The client registration of `agency`'s Samnav at the provider."""
    host = host_of(agency)
    return {
        "client_id": f"samnav-{key_hint}",
        "client_secret": SECRET,
        "redirect_uris": [f"http://{host}/accounts/oidc/{key_hint}/login/callback/"],
        "post_logout_redirect_uris": [f"http://{host}/accounts/login/"],
        "token_endpoint_auth_method": "client_secret_basic",
    }


def configure(actor, agency, **fields):
    """An identity provider of `agency`, configured by `actor` (on the agency's host; central
    IT's on the central host)."""
    viewer = Viewer.of(actor, agency if agency.kind == "agency" else None)
    return actions.create_provider(viewer, agency, actions.ProviderInput(**fields))


def follow_provider(first: str, host: str, session: requests.Session, params: dict) -> str:
    """Follow the provider's redirects from `first` until one leads back to `host`."""
    url = first
    for _ in range(20):
        if urlparse(url).netloc == host:
            return url
        if "/interaction/" in url:
            url = f"{url}?{urlencode(params)}"
        response = session.get(url, allow_redirects=False, timeout=10)
        location = response.headers.get("Location")
        if not location:
            raise AssertionError(f"the provider stopped at {url}: {response.status_code}")
        url = urljoin(url, location)
    raise AssertionError("too many redirects")


def oidc_sign_in(
    client: Client, host: str, key: str, login: str, amr: str = "pwd"
) -> tuple[object, str]:
    """Press "Sign in with …" on `host` and sign in at the provider as `login`. Returns
    Samnav's answer to the callback and the callback URL (to replay it)."""
    start = client.post(f"/accounts/oidc/{key}/login/")
    assert start.status_code == 302, start.status_code
    back = follow_provider(
        start["Location"], host, requests.Session(), {"login": login, "amr": amr}
    )
    parts = urlparse(back)
    path = f"{parts.path}?{parts.query}"
    return client.get(path), path


def saml_sign_in(client: Client, idp, key: str, **answer):
    """Press "Sign in with …" and post the IdP's answer back to the ACS; returns Samnav's
    final answer (after allauth's finish step)."""
    start = client.post(f"/accounts/saml/{key}/login/")
    assert start.status_code == 302, start.status_code
    acs, response, relay = idp.answer(start["Location"], **answer)
    return post_to_acs(client, acs, response, relay)


def post_to_acs(client: Client, acs: str, response: str, relay: str = ""):
    posted = client.post(urlparse(acs).path, {"SAMLResponse": response, "RelayState": relay})
    assert posted.status_code == 302, posted.status_code
    return client.get(posted["Location"])
