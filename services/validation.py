"""The one validation toolkit of the actions of every domain: collect a write's errors before
anything is written; each error names its field and carries a code of the domain's error-code
enum. Field validators take that enum (`codes`) and use its REQUIRED, TOO_LONG and OUT_OF_RANGE
members where the domain has them, INVALID otherwise."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
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


# --- notices: what was changed in what a caller sent ----------------------------------------

INVISIBLE_REMOVED = "INVISIBLE_REMOVED"


@dataclass(frozen=True)
class Notice:
    field: str
    message: str
    code: str


_notices: ContextVar[list[Notice] | None] = ContextVar("samnav_notices", default=None)


@contextmanager
def noticing() -> Iterator[list[Notice]]:
    """Collect the notices of one request (the GraphQL view, NoticeMiddleware)."""
    found: list[Notice] = []
    token = _notices.set(found)
    try:
        yield found
    finally:
        _notices.reset(token)


def cleaned(field: str, value: str) -> str:
    """`value` without invisible characters (`visible`); when some were removed, the request
    is told so (a notice on `field`)."""
    shown = visible(value)
    found = _notices.get()
    if shown != value and found is not None:
        found.append(
            Notice(
                field,
                _("Invisible control characters (such as text-direction marks) were removed."),
                INVISIBLE_REMOVED,
            )
        )
    return shown


class NoticeMiddleware:
    """Portal pages: after a write that succeeded (a POST answered with a redirect), the
    notices of the request become a message on the next page."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        from django.contrib import messages

        with noticing() as found:
            response = self.get_response(request)
        if found and request.method == "POST" and 300 <= response.status_code < 400:
            for message in dict.fromkeys(n.message for n in found):
                messages.info(request, message)
        return response


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
    stripped = cleaned(field, value or "").strip()
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


# --- dates ------------------------------------------------------------------------------------

# Every date a caller gives (a period, a contract, a price, a warranty, a booking day) lies
# within this many years of today: from 1 January of the first year to 31 December of the
# last. Year 1 and 9999 are typing errors, and dates near them overflow date arithmetic.
SENSIBLE_YEARS = 50

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def sensible_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The documented range of dates a caller may give, around `today` (the clock's)."""
    year = (today or timezone.localdate()).year
    return dt.date(year - SENSIBLE_YEARS, 1, 1), dt.date(year + SENSIBLE_YEARS, 12, 31)


def date_range_message(low: dt.date, high: dt.date) -> str:
    return _("Must be a date from %(low)s to %(high)s.") % {
        "low": formats.date_format(low, "Y-m-d"),
        "high": formats.date_format(high, "Y-m-d"),
    }


def in_sensible_range(value: dt.date) -> bool:
    low, high = sensible_range()
    day = value.date() if isinstance(value, dt.datetime) else value
    return low <= day <= high


def date_in_range(
    errors: Errors,
    field: str,
    value: dt.date | None,
    *,
    codes: type[StrEnum],
    low: dt.date | None = None,
    high: dt.date | None = None,
) -> dt.date | None:
    """A date (or datetime) within [low, high], by default the sensible range; None (with an
    error) when outside it. None passes through: whether a date is required is the caller's."""
    if value is None:
        return None
    default_low, default_high = sensible_range()
    low, high = low or default_low, high or default_high
    day = value.date() if isinstance(value, dt.datetime) else value
    if not low <= day <= high:
        errors.add(field, date_range_message(low, high), _code(codes, "OUT_OF_RANGE"))
        return None
    return value


def a_date(
    errors: Errors,
    field: str,
    value: object,
    *,
    codes: type[StrEnum],
    required: bool = True,
) -> dt.date | None:
    """A date (never a datetime) within the sensible range; None when not given or refused."""
    if value is None:
        if required:
            errors.add(field, _("Enter a date."), _code(codes, "REQUIRED"))
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors.add(field, _("Enter a date."), _code(codes, "INVALID"))
        return None
    return date_in_range(errors, field, value, codes=codes)


def parse_month(value: object, *, codes: type[StrEnum], field: str = "month") -> dt.date:
    """ "YYYY-MM" -> the first day of that month, within the sensible range; raises a field
    error otherwise."""
    found = _MONTH.match(value.strip()) if isinstance(value, str) else None
    if found is None:
        raise field_error(field, _("Give the month as YYYY-MM."), _code(codes, "INVALID"))
    month = dt.date(int(found[1]), int(found[2]), 1)
    low, high = sensible_range()
    if not low <= month <= high:
        raise field_error(field, date_range_message(low, high), _code(codes, "OUT_OF_RANGE"))
    return month


def require_sensible_date(field: str, value: dt.date | None, *, codes: type[StrEnum]) -> None:
    """Raises a field error when `value` lies outside the sensible range of dates."""
    errors = Errors()
    date_in_range(errors, field, value, codes=codes)
    errors.raise_if_any()


def day_or_today(value: str | None) -> dt.date:
    """A day from a page's query string (YYYY-MM-DD); today when absent, not a date, or
    outside the sensible range (a page shows today rather than an error)."""
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()
    return day if in_sensible_range(day) else timezone.localdate()


def clean_text(field: str, value: str | None) -> str:
    """Free text as it is stored: invisible characters removed (and said so: `cleaned`),
    surrounding space stripped."""
    return cleaned(field, value or "").strip()
