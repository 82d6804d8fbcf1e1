"""A person's contact details as the register stores them: e-mail addresses lower-cased and
checked, phone numbers in E.164 (Swedish numbers by default). The channels read them the same
way (services/support/senders.py)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def normalise_phone(raw: str) -> str:
    """E.164-ish, Swedish by default: keep digits and a leading +; 00 becomes +; a national
    0 becomes +46 ("070-123 45 67" and "+46 (0)70 1234567" both give +46701234567)."""
    s = re.sub(r"[^0-9+]", "", raw or "")
    s = s[:1] + s[1:].replace("+", "")
    if s.startswith("00"):
        s = "+" + s[2:]
    elif s.startswith("0"):
        s = "+46" + s[1:]
    if s.startswith("+460"):
        s = "+46" + s[4:]
    return s if re.fullmatch(r"\+[1-9][0-9]{6,14}", s) else ""


def normalise_email(raw: str) -> str:
    address = (raw or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address.lower()
