import socket
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller
from django_tenants.utils import schema_context

from services.people.models import Person
from tests.ordering.catalogue import build_catalogue


@pytest.fixture
def people(federation, db):
    """A person record for each agency user of the federation, in that agency's schema."""
    out = {}
    for agency in (federation.alpha, federation.beta):
        with schema_context(agency.schema_name):
            for role in ("admin", "staff"):
                user = federation.user(f"{agency.slug}-{role}")
                out[user.username] = Person.objects.create(
                    user_id=user.pk,
                    name=f"{role.title()} of {agency.slug}",
                    email=f"{role}@{agency.slug}.example",
                )
    return out


@pytest.fixture
def cat(db):
    """The test catalogue; its OLA has targets 30/240, 60/480, 240/1440, 480/2880 minutes."""
    return build_catalogue(prefix="s")


# --- A real SMTP server on localhost ----------------------------------------------------------


class Inbox:
    def __init__(self):
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [BytesParser(policy=policy.default).parsebytes(raw) for *_, raw in self.received]

    def subjects(self) -> list[str]:
        """As a mail client shows them (Django folds long encoded subjects onto a new line)."""
        return [" ".join(str(m["Subject"]).split()) for m in self.messages()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()
