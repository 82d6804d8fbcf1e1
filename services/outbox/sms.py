"""SMS out: the providers that send an SMS.

`SmsProvider.send(to, text)`; SAMNAV_SMS_PROVIDER selects "46elks" (HTTP API, basic auth) or
"recording" (a test double that keeps the messages). Messages go through the outbox: sent by
a task after the transaction commits (services/outbox/delivery.py); network errors and 5xx
answers are retried (queueing one: services/outbox/queue.py, `send_sms_later`). Inbound SMS
is the support desk's (services/support/channels/sms.py).
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO, ClassVar, Protocol

from django.conf import settings

log = logging.getLogger("samnav.outbox.sms")


class SmsProvider(Protocol):
    def send(self, to: str, text: str) -> str: ...


class SmsSendError(Exception):
    """The provider refused the message (not retried)."""


class SmsTemporaryError(OSError):
    """The provider failed for now (5xx, 429): retried by the task."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None  # a redirect is an answer we do not expect: raise it as an HTTPError


class FortySixElks:
    """46elks (Sweden): POST /a1/sms with basic auth and form fields from, to, message."""

    def __init__(self, username: str, password: str, sender: str, url: str, timeout: float) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("the 46elks URL must be http(s)")
        self.username, self.password, self.sender = username, password, sender
        self.url, self.timeout = url, timeout

    @classmethod
    def from_settings(cls) -> FortySixElks:
        return cls(
            settings.SAMNAV_46ELKS_USERNAME,
            settings.SAMNAV_46ELKS_PASSWORD,
            settings.SAMNAV_SMS_SENDER,
            settings.SAMNAV_46ELKS_URL,
            settings.SAMNAV_SMS_TIMEOUT,
        )

    def send(self, to: str, text: str) -> str:
        """Send one SMS; returns the provider's id for it. Raises on any non-2xx answer."""
        data = urllib.parse.urlencode({"from": self.sender, "to": to, "message": text}).encode()
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310  (scheme checked in __init__)
            self.url,
            data=data,
            method="POST",
            headers={
                "Authorization": f"Basic {token}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", errors="replace")
            if exc.code >= 500 or exc.code == 429:
                raise SmsTemporaryError(f"46elks answered {exc.code}: {detail}") from exc
            raise SmsSendError(f"46elks answered {exc.code}: {detail}") from exc
        if not 200 <= status < 300:
            raise SmsSendError(f"46elks answered {status}")
        try:
            return str(json.loads(body).get("id", ""))
        except (ValueError, AttributeError):
            return ""


@dataclass(frozen=True)
class SentSms:
    to: str
    text: str


class RecordingSmsProvider:
    """A test double: keeps every message in `outbox` (shared by all instances)."""

    outbox: ClassVar[list[SentSms]] = []

    def send(self, to: str, text: str) -> str:
        log.info("SMS kept by the recording provider, not sent (SAMNAV_SMS_PROVIDER)")
        self.outbox.append(SentSms(to, text))
        return str(len(self.outbox))


def provider() -> SmsProvider:
    name = settings.SAMNAV_SMS_PROVIDER
    if name == "46elks":
        return FortySixElks.from_settings()
    if name == "recording":
        return RecordingSmsProvider()
    raise ValueError(f"unknown SMS provider {name!r}")
