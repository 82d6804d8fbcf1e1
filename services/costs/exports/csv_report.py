"""The allocation lines of a period (or of one agency) as CSV, in two dialects.

- `PLAIN` (for programs): comma-separated, decimal point, UTF-8 without a byte-order mark,
  CRLF line ends (RFC 4180).
- `EXCEL_SV` (for people opening it in Excel with Swedish settings): semicolon-separated,
  decimal comma, UTF-8 **with** a byte-order mark (without it Excel reads the file as
  Windows-1252 and garbles å, ä and ö).

Amounts are kronor with exactly two decimals and no thousands separator; the sum of the
`amount_sek` column of an agency is its statement total to the öre. Each row carries its
statement's reference (`KF-2026-11-UPPSALA`), what the split computed (`computed_sek`), the
sum of its adjustments (`adjustment_sek`, amount = computed + adjustment) and every adjustment
with its reason, who made it and when (`adjustments`). Column names stay English codes:
programs read them. Text that a spreadsheet
would take for a formula is quoted with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from enum import StrEnum
from typing import TextIO

from services.costs.exports.formulas import as_text
from services.costs.exports.rows import ExportLine, format_decimal, format_kronor, sorted_lines


class CsvDialect(StrEnum):
    PLAIN = "plain"
    EXCEL_SV = "excel_sv"


HEADER = (
    "period",
    "agency",
    "agency_name",
    "agency_org_number",
    "pool_id",
    "pool",
    "pool_category",
    "source_reference",
    "service",
    "service_category",
    "supplier",
    "project",
    "allocation_key",
    "key_version_id",
    "key_method",
    "driver_kind",
    "driver_value",
    "share",
    "amount_sek",
    "corrects",
    "line_id",
    "statement_reference",
    "computed_sek",
    "adjustment_sek",
    "adjustments",
)


def _settings(dialect: CsvDialect) -> tuple[str, str, bool]:
    """(delimiter, decimal separator, byte-order mark)"""
    if dialect == CsvDialect.EXCEL_SV:
        return ";", ",", True
    return ",", ".", False


def row_values(line: ExportLine, decimal_separator: str = ".") -> list[str]:
    return [
        f"{line.period:%Y-%m}",
        line.agency_slug,
        as_text(line.agency_name),
        line.agency_org_number,
        str(line.pool_id),
        as_text(line.pool_name),
        line.pool_category,
        as_text(line.source_reference),
        as_text(line.service_name),
        line.service_category,
        as_text(line.supplier_name),
        as_text(line.project_name),
        as_text(line.key_name),
        "" if line.key_version_id is None else str(line.key_version_id),
        line.key_method,
        line.driver_kind,
        format_decimal(line.driver_value, decimal_separator=decimal_separator),
        format_decimal(line.share, decimal_separator=decimal_separator),
        format_kronor(line.amount_ore, decimal_separator=decimal_separator),
        as_text(line.corrects),
        "" if line.line_id is None else str(line.line_id),
        line.statement_reference,
        format_kronor(line.computed, decimal_separator=decimal_separator),
        format_kronor(line.adjustment_ore, decimal_separator=decimal_separator),
        as_text(line.adjustment_text),
    ]


def write_lines(
    lines: Iterable[ExportLine], out: TextIO, dialect: CsvDialect = CsvDialect.PLAIN
) -> None:
    """Write the header and one row per line to the text stream `out` (no byte-order mark)."""
    delimiter, decimal_separator, _bom = _settings(dialect)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in sorted_lines(lines):
        writer.writerow(row_values(line, decimal_separator))


def lines_csv(lines: Iterable[ExportLine], dialect: CsvDialect = CsvDialect.PLAIN) -> bytes:
    """The file's bytes: UTF-8, with a byte-order mark for the Excel dialect."""
    buffer = io.StringIO()
    write_lines(lines, buffer, dialect)
    encoding = "utf-8-sig" if _settings(dialect)[2] else "utf-8"
    return buffer.getvalue().encode(encoding)
