"""Reading a pool file's rows: CSV (UTF-8, separated by comma, semicolon or tab) or the first
sheet of an XLSX workbook, each row with its physical line; and the values of its cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from services.costs.imports.problems import PoolFileRejected, Problem, rejected


def csv_rows(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise rejected("file", _('The file is not UTF-8 text: save it as "CSV UTF-8".')) from exc
    if "\x00" in text:
        raise rejected("file", _("The file is not a CSV text file."))
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for values in reader:
            yield start, values
            start = reader.line_num + 1
    except csv.Error as exc:
        raise PoolFileRejected(
            [Problem(start, "file", _("Not valid CSV: %(error)s") % {"error": exc})]
        ) from exc


def xlsx_rows(content: bytes) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise rejected("file", _("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows():
            cells = [c for c in row if getattr(c, "row", None) is not None]
            if not cells:
                continue
            yield cells[0].row, [c for c in row]
    finally:
        book.close()


def is_empty(values: list) -> bool:
    return all(raw(v) in (None, "") for v in values)


def raw(value: Any) -> Any:
    """A cell's value (XLSX cell or CSV string), strings stripped."""
    value = getattr(value, "value", value)
    return value.strip() if isinstance(value, str) else value


def is_formula(value: Any) -> bool:
    return getattr(value, "data_type", None) == "f"


def cell_text(value: Any) -> str:
    """A cell as text: dates in ISO form, whole spreadsheet numbers without decimals."""
    value = raw(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
