"""The allocation lines of a period as an XLSX workbook (openpyxl), one sheet per view.

Sheets: "Lines" (every allocation line), "Per agency" (each agency's total, with a grand total),
"Per pool" (what each pool was split into, with a grand total). Sheet names, headers,
categories, methods and driver units are in the active language (Swedish unless the reader
chose English); every line names its statement's reference and its adjustments.
Amounts are numbers in kronor
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

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from services.costs.exports.formulas import as_text
from services.costs.exports.labels import category_label, driver_label, method_label
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
    _("Period"),
    _("Statement reference"),
    _("Agency"),
    _("Agency name"),
    _("Org. number"),
    _("Pool id"),
    _("Pool"),
    _("Pool category"),
    _("Source reference"),
    _("Service"),
    _("Supplier"),
    _("Project"),
    _("Allocation key"),
    _("Key version"),
    _("Method"),
    _("Driver"),
    _("Driver value"),
    _("Key share"),
    _("Computed (SEK)"),
    _("Adjustment (SEK)"),
    _("Amount (SEK)"),
    _("Adjustments (reason, by)"),
    _("Corrects"),
)
AGENCY_HEADER = (
    _("Agency"),
    _("Statement reference"),
    _("Agency name"),
    _("Org. number"),
    _("Lines"),
    _("Amount (SEK)"),
)
POOL_HEADER = (
    _("Pool id"),
    _("Pool"),
    _("Category"),
    _("Source reference"),
    _("Agencies"),
    _("Amount (SEK)"),
)


def _cell(
    sheet: Any, value: Any, number_format: str | None = None, bold: bool = False
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def _header(sheet: Any, names: Iterable[Any]) -> None:
    sheet.append([_cell(sheet, str(name), bold=True) for name in names])


def _money(sheet: Any, ore: int, bold: bool = False) -> WriteOnlyCell:
    return _cell(sheet, kronor(ore), MONEY_FORMAT, bold)


def lines_xlsx(lines: Iterable[ExportLine]) -> bytes:
    lines = sorted_lines(lines)
    book = Workbook(write_only=True)

    sheet = book.create_sheet(str(_("Lines")))
    _header(sheet, LINE_HEADER)
    for line in lines:
        sheet.append(
            [
                f"{line.period:%Y-%m}",
                line.statement_reference,
                line.agency_slug,
                as_text(line.agency_name),
                line.agency_org_number,
                line.pool_id,
                as_text(line.pool_name),
                category_label(line.pool_category),
                as_text(line.source_reference),
                as_text(line.service_name),
                as_text(line.supplier_name),
                as_text(line.project_name),
                as_text(line.key_name),
                line.key_version_id,
                method_label(line.key_method),
                as_text(driver_label(line)),
                _cell(sheet, Decimal(line.driver_value), DRIVER_FORMAT),
                _cell(sheet, Decimal(line.share), SHARE_FORMAT),
                _money(sheet, line.computed),
                _money(sheet, line.adjustment_ore),
                _money(sheet, line.amount_ore),
                as_text(line.adjustment_text),
                as_text(line.corrects),
            ]
        )

    sheet = book.create_sheet(str(_("Per agency")))
    _header(sheet, AGENCY_HEADER)
    for statement in statements(lines):
        sheet.append(
            [
                statement.agency_slug,
                statement.reference,
                as_text(statement.agency_name),
                statement.agency_org_number,
                len(statement.lines),
                _money(sheet, statement.total_ore),
            ]
        )
    sheet.append(
        [
            _cell(sheet, str(_("Total")), bold=True),
            "",
            "",
            "",
            len(lines),
            _money(sheet, total_ore(lines), True),
        ]
    )

    sheet = book.create_sheet(str(_("Per pool")))
    _header(sheet, POOL_HEADER)
    for pool in pool_totals(lines):
        sheet.append(
            [
                pool.pool_id,
                as_text(pool.pool_name),
                category_label(pool.pool_category),
                as_text(pool.source_reference),
                pool.agencies,
                _money(sheet, pool.amount_ore),
            ]
        )
    sheet.append(
        [
            _cell(sheet, str(_("Total")), bold=True),
            "",
            "",
            "",
            "",
            _money(sheet, total_ore(lines), True),
        ]
    )

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
