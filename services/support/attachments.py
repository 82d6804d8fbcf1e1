"""Checking attachments: size-limited, and the type is read from the content itself (a file
called report.pdf must start like a PDF). Never executed, never served inline."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from services.support.errors import SupportErrorCode as Code
from services.validation import cleaned

# extension -> (content type, test on the first bytes); None means plain text
ALLOWED = {
    "pdf": ("application/pdf", lambda b: b.startswith(b"%PDF-")),
    "png": ("image/png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    "gif": ("image/gif", lambda b: b[:6] in (b"GIF87a", b"GIF89a")),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda b: b.startswith(b"PK\x03\x04"),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda b: b.startswith(b"PK\x03\x04"),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", lambda b: b.startswith(b"PK\x03\x04")),
    "txt": ("text/plain", None),
    "log": ("text/plain", None),
    "csv": ("text/csv", None),
    "eml": ("message/rfc822", None),
}


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def max_bytes() -> int:
    return int(getattr(settings, "SAMNAV_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def check(filename: str, content: bytes, field: str) -> CheckedFile:
    name = (
        cleaned(field, filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "file"
    )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if len(content) > max_bytes():
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(name)s is %(size)s bytes; at most %(max)s are accepted.")
                    % {"name": name, "size": len(content), "max": max_bytes()},
                    code=Code.ATTACHMENT_TOO_LARGE,
                )
            }
        )
    kind = ALLOWED.get(ext)
    if kind is None or not (kind[1](content) if kind[1] else _is_text(content)):
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "%(name)s is not an accepted file type (PDF, images, office "
                        "documents, text)."
                    )
                    % {"name": name},
                    code=Code.ATTACHMENT_TYPE,
                )
            }
        )
    return CheckedFile(name, kind[0], content)


def _is_text(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in content
