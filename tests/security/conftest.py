"""The security tests' own API server (session-wide, started only by the tests that ask)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from tests.browser.server import REPO
from tests.security.server import ApiServer

LOGS = REPO / ".test-artifacts" / "security" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")


@pytest.fixture(scope="session")
def api_server():
    LOGS.mkdir(parents=True, exist_ok=True)
    server = ApiServer(os.environ.get("SAMNAV_SECURITY_DB", "samnav_security"), LOGS)
    server.start()
    yield server
    server.stop()
