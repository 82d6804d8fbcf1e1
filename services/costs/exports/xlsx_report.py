"""The allocation lines of a period as an XLSX workbook (openpyxl), one sheet per view.

Sheets: "Lines" (every allocation line), "Per agency" (each agency's total, with a grand total),
"Per pool" (what each pool was split into, with a grand total). Amounts are numbers in kronor
(exact `Decimal`s, two decimals) with a number format, not text, so they add up in Excel;
totals are values computed in öre, not formulas, so they match the statements to the öre
whatever program opens the file. Written in openpyxl's write-only mode, so a large period
streams instead of building the whole workbook in memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from services.costs.exports.formulas import as_text
from services.costs.exports.rows import (
    ExportLine,
    kronor,
    pool_totals,
    sorted_lines,
    statements,
    total_ore,
)

MONEY_FORMAT = "#,##0.00"
SHARE_FORMAT = "0.000000"
DRIVER_FORMAT = "#,##0.####"

LINE_HEADER = (
    "Period",
    "Agency",
    "Agency name",
    "Org. number",
    "Pool id",
    "Pool",
    "Pool category",
    "Source reference",
    "Service",
    "Supplier",
    "Project",
    "Allocation key",
    "Key version",
    "Method",
    "Driver",
    "Driver value",
    "Share",
    "Amount (SEK)",
    "Corrects",
)
AGENCY_HEADER = ("Agency", "Agency name", "Org. number", "Lines", "Amount (SEK)")
POOL_HEADER = ("Pool id", "Pool", "Category", "Source reference", "Agencies", "Amount (SEK)")


def _cell(
    sheet: Any, value: Any, number_format: str | None = None, bold: bool = False
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def _header(sheet: Any, names: Iterable[str]) -> None:
    sheet.append([_cell(sheet, name, bold=True) for name in names])


def _money(sheet: Any, ore: int, bold: bool = False) -> WriteOnlyCell:
    return _cell(sheet, kronor(ore), MONEY_FORMAT, bold)


def lines_xlsx(lines: Iterable[ExportLine]) -> bytes:
    lines = sorted_lines(lines)
    book = Workbook(write_only=True)

    sheet = book.create_sheet("Lines")
    _header(sheet, LINE_HEADER)
    for line in lines:
        sheet.append(
            [
                f"{line.period:%Y-%m}",
                line.agency_slug,
                as_text(line.agency_name),
                line.agency_org_number,
                line.pool_id,
                as_text(line.pool_name),
                line.pool_category,
                as_text(line.source_reference),
                as_text(line.service_name),
                as_text(line.supplier_name),
                as_text(line.project_name),
                as_text(line.key_name),
                line.key_version_id,
                line.key_method,
                line.driver_kind,
                _cell(sheet, Decimal(line.driver_value), DRIVER_FORMAT),
                _cell(sheet, Decimal(line.share), SHARE_FORMAT),
                _money(sheet, line.amount_ore),
                as_text(line.corrects),
            ]
        )

    sheet = book.create_sheet("Per agency")
    _header(sheet, AGENCY_HEADER)
    for statement in statements(lines):
        sheet.append(
            [
                statement.agency_slug,
                as_text(statement.agency_name),
                statement.agency_org_number,
                len(statement.lines),
                _money(sheet, statement.total_ore),
            ]
        )
    sheet.append(
        [
            _cell(sheet, "Total", bold=True),
            "",
            "",
            len(lines),
            _money(sheet, total_ore(lines), True),
        ]
    )

    sheet = book.create_sheet("Per pool")
    _header(sheet, POOL_HEADER)
    for pool in pool_totals(lines):
        sheet.append(
            [
                pool.pool_id,
                as_text(pool.pool_name),
                pool.pool_category,
                as_text(pool.source_reference),
                pool.agencies,
                _money(sheet, pool.amount_ore),
            ]
        )
    sheet.append(
        [_cell(sheet, "Total", bold=True), "", "", "", "", _money(sheet, total_ore(lines), True)]
    )

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
