"""E-mail out: the address mail is sent from and replied to, and new Message-IDs. Queueing a
mail: services/outbox/queue.py (`send_mail_later`)."""

from __future__ import annotations

from email.utils import make_msgid

from django.conf import settings


def support_address() -> str:
    return settings.SAMNAV_SUPPORT_EMAIL


def new_message_id(tag: str = "samnav") -> str:
    domain = support_address().rsplit("@", 1)[-1] or "samnav.invalid"
    return make_msgid(idstring=tag, domain=domain)
