"""Text cells that a spreadsheet would take for a formula: kept as text in every export (CSV,
Excel-CSV, XLSX, FOCUS), with a leading apostrophe (OWASP's "CSV injection" advice). Numbers
are never passed here: a negative amount stays a number."""

from __future__ import annotations

# What a spreadsheet reads as the start of a formula, or a cell that becomes one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def as_text(value: str | None) -> str:
    text = value or ""
    return f"'{text}" if text[:1] in FORMULA_STARTS else text
