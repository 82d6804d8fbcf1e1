"""A real Samnav API server for the security tests: its own database on the test PostgreSQL
server, migrated and seeded like the browser tests' one (tests/browser/server.py, reused as
is), served by a threaded `runserver`, with API tokens issued by `manage.py issue_api_token`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from tests.browser.server import PortalServer


@dataclass
class Reply:
    status: int
    body: dict | list | str
    seconds: float

    @property
    def errors(self) -> list[dict]:
        return self.body.get("errors") or [] if isinstance(self.body, dict) else []


class ApiServer(PortalServer):
    def __init__(self, db_name: str, log_dir):
        super().__init__(db_name, log_dir)
        self.env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        self._tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        """A personal API token of `username`, issued once per server."""
        if username not in self._tokens:
            self._tokens[username] = self.manage("issue_api_token", username).strip()
        return self._tokens[username]

    def host(self, agency: str | None = None) -> str:
        """The Host header of `agency`'s host (the central host when None): `*.localhost`
        names need not resolve on this machine, so requests go to 127.0.0.1 with this."""
        return f"{'localhost' if agency is None else agency + '.localhost'}:{self.port}"

    def graphql_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql/"

    def post(
        self,
        body: dict | list | str | bytes,
        *,
        agency: str | None = None,
        token: str | None = None,
        timeout: float = 30.0,
    ) -> Reply:
        import time

        if isinstance(body, bytes):
            data = body
        else:
            data = (body if isinstance(body, str) else json.dumps(body)).encode()
        request = urllib.request.Request(  # noqa: S310 (our own server on localhost)
            self.graphql_url(), data=data, method="POST"
        )
        request.add_header("Host", self.host(agency))
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        seconds = time.monotonic() - started
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = raw.decode(errors="replace")
        return Reply(status, parsed, seconds)
