"""scim2-tester, the python-scim compliance checker, against a real server (runserver on its
own database, tests/security/server.py), with a SCIM token of alpha from
`manage.py create_scim_token`: every check of what Samnav implements passes."""

from __future__ import annotations

import datetime as dt
import os
import random
import uuid

import pytest
from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server, filling
from scim2_tester.checkers import patch_add, patch_replace

from tests.browser.server import REPO
from tests.security.server import ApiServer

LOGS = REPO / ".test-artifacts" / "scim" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")


@pytest.fixture(scope="module")
def scim_server():
    LOGS.mkdir(parents=True, exist_ok=True)
    server = ApiServer(os.environ.get("SAMNAV_SCIM_DB", "samnav_scim"), LOGS)
    server.start()
    yield server
    server.stop()


def _register_values(original):
    """The tester's random values, but of the register's kinds where the published schema
    says so: userName is an e-mail address, a phone number is in E.164 form (+46...). The
    tester compares what it sent with what it gets back, and the register keeps both in
    their normal form."""

    def phone() -> str:
        return "+4670" + "".join(random.choice("0123456789") for _ in range(7))

    def generate(context, path, *args, **kwargs):
        value = original(context, path, *args, **kwargs)
        name = str(path)
        if value is None:
            return value
        if name.endswith("userName"):
            return f"{uuid.uuid4().hex}@alpha.example"
        if name.endswith("phoneNumbers.value"):
            return phone()
        if name.endswith("phoneNumbers"):
            for number in value if isinstance(value, list) else [value]:
                number.value = phone()
        return value

    return generate


@pytest.fixture
def register_values(monkeypatch):
    generate = _register_values(filling.generate_random_value)
    for module in (filling, patch_add, patch_replace):
        monkeypatch.setattr(module, "generate_random_value", generate)


def _client(server: ApiServer, agency: str, token: str) -> SyncSCIMClient:
    http = Client(
        base_url=f"http://127.0.0.1:{server.port}/scim/v2",
        headers={"Host": server.host(agency), "Authorization": f"Bearer {token}"},
        timeout=30,
    )
    return SyncSCIMClient(http)


def test_scim2_tester_reports_no_failure(scim_server, register_values):
    token = scim_server.manage("create_scim_token", "alpha", "scim2-tester").strip()
    results = check_server(_client(scim_server, "alpha", token))
    statuses = {}
    for result in results:
        statuses[result.status] = statuses.get(result.status, 0) + 1
    failures = [
        f"{r.title}: {r.reason}" for r in results if r.status in (Status.ERROR, Status.CRITICAL)
    ]
    print({status.name: count for status, count in statuses.items()})  # noqa: T201
    assert failures == [], "\n".join(failures)
    assert statuses.get(Status.SUCCESS, 0) > 10


def test_another_agencys_token_gets_nothing_on_the_live_server(scim_server):
    token = scim_server.manage("create_scim_token", "beta", "beta IdP").strip()
    client = _client(scim_server, "alpha", token)
    response = client.client.get("/Users")
    assert response.status_code == 401
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
