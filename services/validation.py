"""The one validation toolkit of the actions of every domain: collect a write's errors before
anything is written; each error names its field and carries a code of the domain's error-code
enum. Field validators take that enum (`codes`) and use its REQUIRED, TOO_LONG and OUT_OF_RANGE
members where the domain has them, INVALID otherwise."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class Errors:
    """Collects every error of one input before anything is written."""

    def __init__(self) -> None:
        self.items: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.items.setdefault(field, []).append(ValidationError(message, code=code))

    def __contains__(self, field: str) -> bool:
        return field in self.items

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A ValidationError of one field."""
    return ValidationError({field: ValidationError(message, code=code)})


def _code(codes: type[StrEnum], name: str) -> StrEnum:
    member = codes.__members__.get(name) or codes.__members__.get("INVALID")
    if member is None:
        raise TypeError(f"{codes.__name__} has neither {name} nor INVALID")
    return member


# Invisible characters that change how text reads without being seen: bidi overrides and
# isolates (U+202A-202E, U+2066-2069), marks, zero-width characters, the BOM, and C0/C1
# controls other than tab and line breaks. A name like "doc\u202etxt.pdf" shows as
# "docfdp.txt".
_KEPT_CONTROLS = {"\t", "\n", "\r"}


def visible(value: str) -> str:
    """`value` without invisible format and control characters (Unicode categories Cf and Cc,
    but tab and line breaks)."""
    return "".join(
        c for c in value if c in _KEPT_CONTROLS or unicodedata.category(c) not in ("Cf", "Cc")
    )


def text(
    errors: Errors,
    field: str,
    value: object,
    *,
    codes: type[StrEnum],
    max_length: int,
    required: bool = True,
    required_message: str | None = None,
) -> str:
    """A text field, stripped of surrounding space and of invisible characters (`visible`):
    refused when it is not text, empty while required, or longer than `max_length`. Returns
    the cleaned text ("" when refused as not text)."""
    if value is not None and not isinstance(value, str):
        errors.add(field, _("Must be text."), _code(codes, "INVALID"))
        return ""
    stripped = visible(value or "").strip()
    if required and not stripped:
        errors.add(
            field, required_message or _("This field is required."), _code(codes, "REQUIRED")
        )
    elif len(stripped) > max_length:
        errors.add(
            field,
            _("At most %(n)s characters.") % {"n": max_length},
            _code(codes, "TOO_LONG"),
        )
    return stripped


def whole_number(
    errors: Errors,
    field: str,
    value: object,
    *,
    codes: type[StrEnum],
    low: int,
    high: int,
    message: str | None = None,
) -> int | None:
    """A whole number from `low` to `high` (never a bool, never a float); None when refused.
    `message`, when given, says what the number means, for both refusals."""
    if not isinstance(value, int) or isinstance(value, bool):
        errors.add(field, message or _("Must be a whole number."), _code(codes, "INVALID"))
        return None
    if not low <= value <= high:
        errors.add(
            field,
            message or _("Must be from %(low)s to %(high)s.") % {"low": low, "high": high},
            _code(codes, "OUT_OF_RANGE"),
        )
        return None
    return value


def amount_ore(
    errors: Errors, field: str, value: object, *, codes: type[StrEnum], high: int
) -> int | None:
    """A sum of money in whole öre from 0 to `high` (never a bool, never a float: money is
    never rounded here); None when refused. The messages say the unit."""
    if not isinstance(value, int) or isinstance(value, bool):
        errors.add(field, _("Must be a whole number of öre."), _code(codes, "INVALID"))
        return None
    if not 0 <= value <= high:
        errors.add(
            field,
            _("Must be from 0 to %(high)s öre.") % {"high": high},
            _code(codes, "OUT_OF_RANGE"),
        )
        return None
    return value
