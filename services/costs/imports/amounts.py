"""Amounts of a pool file: kronor (text with comma or point decimals, or a spreadsheet
number) or whole öre, both to öre."""

from __future__ import annotations

import re
from decimal import Decimal

# "1234", "1234,5", "1 234.50", "-12": spaces (also no-break and thin) group thousands.
_KRONOR = re.compile(r"^(-?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d{1,2}))?$")
_ORE = re.compile(r"^-?\d+$")


def parse_kronor(value: object) -> int:
    """Kronor (text with comma or point decimals, or a spreadsheet number) -> öre."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float | Decimal):
        amount = Decimal(str(value))
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError
        return int(amount * 100)
    found = _KRONOR.match(str(value))
    if found is None:
        raise ValueError
    sign, whole, decimals = found.groups()
    ore = int(re.sub(r"\D", "", whole)) * 100 + int((decimals or "0").ljust(2, "0"))
    return -ore if sign else ore


def parse_ore(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if Decimal(str(value)) != int(value):
            raise ValueError
        return int(value)
    if _ORE.match(str(value)) is None:
        raise ValueError
    return int(str(value))
