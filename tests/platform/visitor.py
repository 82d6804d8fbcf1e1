"""A browser without a browser: one host, a session once signed in, each request on a new TCP
connection (as many browsers would open). Used against `manage.py serve` in its own process."""

from __future__ import annotations

import http.client
import json
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Visitor:
    """One browser: a host, and a session once signed in."""

    port: int
    host: str  # "localhost" (central IT) or "SLUG.localhost"
    username: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        """One request on a new TCP connection to 127.0.0.1 (as 40 browsers would open)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            all_headers = {"Host": f"{self.host}:{self.port}", **(headers or {})}
            cookies = dict(self.cookies)  # a copy: the same visitor is in flight many times
            if cookies:
                all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            content = response.read()
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content
        finally:
            conn.close()

    def sign_in(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and token, f"no sign-in form on {self.host} ({status})"
        form = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _ = self.request("POST", "/accounts/login/", form.encode(), headers)
        assert status == 302 and "sessionid" in self.cookies, f"{username} could not sign in"
        self.username = username

    def graphql(self, query: str, variables: dict | None = None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.cookies["csrftoken"]}
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        return self.request("POST", "/graphql/", body, headers)
