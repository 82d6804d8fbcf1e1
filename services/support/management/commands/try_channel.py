"""Try a support channel by hand, through its real endpoint on a running server (`make run`).

    python manage.py try_channel email --subject "Skrivaren skriver inte ut"
    python manage.py try_channel sms --message "Skärmen är svart"
    python manage.py try_channel email --reply-to "SN#uppsala-12" --message "Nu fungerar det"

E-mail is posted as a raw RFC 822 message with the X-Samnav-Token header; SMS as a form signed
with HMAC-SHA256, as the providers do. The secrets are the server's (local settings give
development ones). Without --from, the sender is the first person of the agency (--agency,
default uppsala) with an e-mail address or phone number. The endpoint's answer is printed:
opened, replied, or why it was refused.
"""

from __future__ import annotations

import http.client
import urllib.parse
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from services.people.models import Person
from services.support.channels import sms
from services.support.webhooks import TOKEN_HEADER
from tenants.models import Agency


class Command(BaseCommand):
    help = "Send a test e-mail or SMS through the running server's inbound endpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("channel", choices=["email", "sms"])
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--agency", default="uppsala", help="whose person sends (slug)")
        parser.add_argument("--from", dest="sender", default="", help="address or number")
        parser.add_argument("--subject", default="Testärende från try_channel")
        parser.add_argument("--message", default="Det här är ett prov av kanalen.")
        parser.add_argument("--reply-to", default="", help="a ticket reference, e.g. SN12")
        parser.add_argument(
            "--unauthenticated",
            action="store_true",
            help="e-mail without the gateway's Authentication-Results: it is held, not filed",
        )

    def handle(self, *args: Any, **o: Any) -> None:
        sender = o["sender"] or self._sender(o["agency"], o["channel"])
        if o["channel"] == "email":
            body, headers, path = self._email(sender, o)
        else:
            body, headers, path = self._sms(sender, o)
        status, answer = self._post(o["port"], path, body, headers)
        self.stdout.write(f"{o['channel']} from {sender}: HTTP {status} {answer}")
        if status >= 400:
            raise CommandError(f"the server refused it (HTTP {status})")

    @staticmethod
    def _sender(slug: str, channel: str) -> str:
        agency = Agency.objects.members().filter(slug=slug).first()
        if agency is None:
            raise CommandError(f"no agency {slug!r}: give --agency SLUG or --from")
        field = "email" if channel == "email" else "phone"
        with schema_context(agency.schema_name):
            found = (
                Person.objects.exclude(**{field: ""})
                .order_by("id")
                .values_list(field, flat=True)
                .first()
            )
        if not found:
            raise CommandError(f"nobody in {slug} has an {field}: give --from")
        return found

    @staticmethod
    def _email(sender: str, o: dict) -> tuple[bytes, dict, str]:
        mail = EmailMessage()
        mail["From"] = sender
        mail["To"] = settings.SAMNAV_SUPPORT_EMAIL
        reference = f"[{o['reply_to']}] " if o["reply_to"] else ""
        mail["Subject"] = f"{reference}{o['subject']}"
        mail["Message-ID"] = make_msgid(domain="try-channel.invalid")
        if not o["unauthenticated"]:
            # What the receiving gateway adds once SPF, DKIM and DMARC pass (email_auth.py).
            domain = sender.rsplit("@", 1)[-1]
            mail["Authentication-Results"] = (
                f"{settings.SAMNAV_INBOUND_EMAIL_AUTHSERV_ID}; dmarc=pass header.from={domain}"
            )
        mail.set_content(o["message"])
        headers = {
            "Content-Type": "message/rfc822",
            TOKEN_HEADER: settings.SAMNAV_INBOUND_EMAIL_TOKEN,
        }
        return mail.as_bytes(), headers, "/inbound/email/"

    @staticmethod
    def _sms(sender: str, o: dict) -> tuple[bytes, dict, str]:
        text = f"{o['reply_to']} {o['message']}" if o["reply_to"] else o["message"]
        body = urllib.parse.urlencode({"from": sender, "message": text}).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            **sms.signed_headers(settings.SAMNAV_SMS_WEBHOOK_SECRET, body),
        }
        return body, headers, "/inbound/sms/"

    @staticmethod
    def _post(port: int, path: str, body: bytes, headers: dict) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            host = f"{settings.SAMNAV_CENTRAL_HOST}:{port}"
            conn.request("POST", path, body=body, headers={"Host": host, **headers})
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        except OSError as exc:
            raise CommandError(f"no server on port {port} ({exc}): start it with make run") from exc
        finally:
            conn.close()
