"""Cost pools from a CSV or XLSX file: parsed and validated whole, then written all or nothing.

`parse_pool_file(content, filename, vocabulary)` reads every row and checks every field; it
returns the pools (`services.costs.actions.PoolInput`, in file order) or raises ONE
`PoolFileRejected` (a ValidationError on the field "file") listing every problem as
`line N: field: reason`, N being the physical line in the file (the header is line 1).
`import_pools(actor, period_id, content, filename)` then creates them through the engine's
`create_pool`, inside one transaction: a bad file changes nothing.

The file: a header row, then one pool per row. Columns (header names, any order, any case):

    name              required, at most 200 characters, unique in the file and the period
    category          required, a pool category value (support_staff, licence, ...)
    amount            kronor: "1234,50", "1 234.50", "1234" (at most two decimals), or
    amount_ore        whole öre: "123450" (exactly one of the two columns)
    key               required, an allocation key's name
    source_reference  required (invoice number, salary run...), at most 100 characters
    service           optional, a catalogue service's name
    supplier          optional, a supplier's name
    project           optional, a joint project's name

CSV: UTF-8 (a byte-order mark is fine), separated by comma, semicolon or tab (read from the
header). XLSX: the first sheet; cells with formulas are refused (paste values), numbers are
taken as kronor with at most two decimals. Empty rows are skipped. At most MAX_ROWS pools
and MAX_BYTES bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from services.costs.errors import CostErrorCode as Code

MAX_ROWS = 1000
MAX_BYTES = 5 * 1024 * 1024
MAX_AMOUNT_ORE = 10**13  # 100 000 000 000 kr: beyond any real pool, inside BigIntegerField
REQUIRED_COLUMNS = ("name", "category", "key", "source_reference")
AMOUNT_COLUMNS = ("amount", "amount_ore")
OPTIONAL_COLUMNS = ("service", "supplier", "project")
KNOWN_COLUMNS = frozenset(REQUIRED_COLUMNS + AMOUNT_COLUMNS + OPTIONAL_COLUMNS)
MAX_LENGTH = {"name": 200, "source_reference": 100}

# "1234", "1234,5", "1 234.50", "-12": spaces (also no-break and thin) group thousands.
_KRONOR = re.compile(r"^(-?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d{1,2}))?$")
_ORE = re.compile(r"^-?\d+$")


@dataclass(frozen=True)
class Problem:
    line: int  # physical line, header = 1; 0 for the file as a whole
    field: str
    reason: str
    code: str = Code.INVALID

    def __str__(self) -> str:
        if self.line == 0:
            return f"{self.field}: {self.reason}"
        return f"line {self.line}: {self.field}: {self.reason}"


class PoolFileRejected(ValidationError):
    """The whole file is refused; `problems` lists every line at fault."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__({"file": [ValidationError(str(p), code=p.code) for p in problems]})


@dataclass
class Vocabulary:
    """What names in the file may refer to: lower-cased name -> id."""

    categories: frozenset[str]
    keys: dict[str, int] = field(default_factory=dict)
    services: dict[str, int] = field(default_factory=dict)
    suppliers: dict[str, int] = field(default_factory=dict)
    projects: dict[str, int] = field(default_factory=dict)
    existing_pool_names: frozenset[str] = frozenset()  # lower-cased, in the period


def vocabulary_for(period) -> Vocabulary:
    """The vocabulary of the database, for `period` (a handful of queries, whatever the file)."""
    from services.catalogue.models import Service, Supplier
    from services.costs.models import AllocationKey, CostPool, PoolCategory
    from services.projects.models import Project

    def names(model) -> dict[str, int]:
        return {name.casefold(): pk for pk, name in model.objects.values_list("pk", "name")}

    return Vocabulary(
        categories=frozenset(c.value for c in PoolCategory if c != PoolCategory.CORRECTION),
        keys=names(AllocationKey),
        services=names(Service),
        suppliers=names(Supplier),
        projects=names(Project),
        existing_pool_names=frozenset(
            n.casefold()
            for n in CostPool.objects.filter(period=period).values_list("name", flat=True)
        ),
    )


# --- reading the file -------------------------------------------------------------------------


def _reject(field_name: str, reason: str, code: str = Code.INVALID) -> PoolFileRejected:
    return PoolFileRejected([Problem(0, field_name, reason, code)])


def _csv_rows(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _reject("file", _('The file is not UTF-8 text: save it as "CSV UTF-8".')) from exc
    if "\x00" in text:
        raise _reject("file", _("The file is not a CSV text file."))
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


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _reject("file", _("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows():
            cells = [c for c in row if getattr(c, "row", None) is not None]
            if not cells:
                continue
            yield cells[0].row, [c for c in row]
    finally:
        book.close()


def _is_empty(values: list) -> bool:
    return all(_raw(v) in (None, "") for v in values)


def _raw(value):
    """A cell's value (XLSX cell or CSV string), strings stripped."""
    value = getattr(value, "value", value)
    return value.strip() if isinstance(value, str) else value


def _is_formula(value) -> bool:
    return getattr(value, "data_type", None) == "f"


# --- checking values --------------------------------------------------------------------------


def parse_kronor(value) -> int:
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


def parse_ore(value) -> int:
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


def _text(value) -> str:
    value = _raw(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_pool_file(
    content: bytes, filename: str, vocabulary: Vocabulary, *, max_rows: int = MAX_ROWS
) -> list:
    """Every pool of the file (as `services.costs.actions.PoolInput`), or PoolFileRejected."""
    from services.costs.actions import PoolInput

    if len(content) > MAX_BYTES:
        raise _reject(
            "file",
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            Code.INVALID,
        )
    name = (filename or "").lower()
    is_zip = content[:4] == b"PK\x03\x04"
    if name.endswith(".xlsx") and is_zip:
        rows = _xlsx_rows(content)
    elif name.endswith(".csv") and not is_zip:
        rows = _csv_rows(content)
    else:
        raise _reject("file", _("Send a .csv or an .xlsx file."))

    problems: list[Problem] = []
    pools: list = []
    header: list[str] | None = None
    seen: dict[str, int] = {}
    count = 0
    for line, values in rows:
        if header is None:
            header = [_text(v).lstrip("\ufeff").lower() for v in values]
            problems += _check_header(header)
            if problems:
                raise PoolFileRejected(problems)
            continue
        if _is_empty(values):
            continue
        count += 1
        if count > max_rows:
            raise _reject(
                "file",
                _("The file has more than %(max)s pools; split it.") % {"max": max_rows},
            )
        row = dict(zip(header, values, strict=False))
        pool, row_problems = _check_row(line, row, vocabulary, seen, PoolInput)
        problems += row_problems
        if pool is not None:
            pools.append(pool)
    if header is None:
        raise _reject("file", _("The file is empty."), Code.REQUIRED)
    if count == 0 and not problems:
        raise _reject("file", _("The file has no pools."), Code.REQUIRED)
    if problems:
        raise PoolFileRejected(problems)
    return pools


def _check_header(header: list[str]) -> list[Problem]:
    problems = []
    for column in header:
        if column and column not in KNOWN_COLUMNS:
            problems.append(Problem(1, column, _("unknown column"), Code.INVALID))
    for column in REQUIRED_COLUMNS:
        if column not in header:
            problems.append(Problem(1, column, _("required column missing"), Code.REQUIRED))
    amounts = [c for c in AMOUNT_COLUMNS if c in header]
    if len(amounts) != 1:
        problems.append(
            Problem(1, "amount", _("give exactly one of amount or amount_ore"), Code.REQUIRED)
        )
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    for column in duplicated:
        problems.append(Problem(1, column, _("column given twice"), Code.DUPLICATE))
    return problems


def _check_row(line: int, row: dict, vocabulary: Vocabulary, seen: dict[str, int], PoolInput):
    problems: list[Problem] = []

    def problem(field_name: str, reason: str, code: str = Code.INVALID) -> None:
        problems.append(Problem(line, field_name, reason, code))

    for column, value in row.items():
        if _is_formula(value):
            problem(column, _("formulas are not accepted: paste the values"))
    if problems:
        return None, problems

    texts = {column: _text(row.get(column)) for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    for column in REQUIRED_COLUMNS:
        if not texts[column]:
            problem(column, _("required"), Code.REQUIRED)
    for column, limit in MAX_LENGTH.items():
        if len(texts[column]) > limit:
            problem(column, _("longer than %(max)s characters") % {"max": limit})

    name_key = texts["name"].casefold()
    if name_key:
        if name_key in seen:
            problem(
                "name", _("same name as line %(line)s") % {"line": seen[name_key]}, Code.DUPLICATE
            )
        elif name_key in vocabulary.existing_pool_names:
            problem("name", _("the period already has a pool of this name"), Code.DUPLICATE)
        else:
            seen[name_key] = line

    category = texts["category"]
    if category and category not in vocabulary.categories:
        problem("category", _('unknown category "%(value)s"') % {"value": category})

    amount_ore = None
    column = "amount" if "amount" in row else "amount_ore"
    raw = _raw(row.get(column))
    if raw in (None, ""):
        problem(column, _("required"), Code.REQUIRED)
    else:
        try:
            amount_ore = parse_kronor(raw) if column == "amount" else parse_ore(raw)
        except (ValueError, InvalidOperation):
            problem(
                column,
                _("not an amount in kronor with at most two decimals")
                if column == "amount"
                else _("not a whole number of öre"),
            )
        else:
            if amount_ore < 0:
                problem(column, _("must not be negative"), Code.NEGATIVE)
                amount_ore = None
            elif amount_ore > MAX_AMOUNT_ORE:
                problem(column, _("too large"))
                amount_ore = None

    refs = {}
    for column, table in (
        ("key", vocabulary.keys),
        ("service", vocabulary.services),
        ("supplier", vocabulary.suppliers),
        ("project", vocabulary.projects),
    ):
        value = texts[column]
        if not value:
            refs[column] = None
            continue
        refs[column] = table.get(value.casefold())
        if refs[column] is None:
            problem(
                column,
                _('unknown %(what)s "%(value)s"') % {"what": column, "value": value},
                Code.NOT_FOUND,
            )

    if problems:
        return None, problems
    return (
        PoolInput(
            name=texts["name"],
            category=category,
            amount_ore=amount_ore,
            key_id=refs["key"],
            service_id=refs["service"],
            supplier_id=refs["supplier"],
            project_id=refs["project"],
            source_reference=texts["source_reference"],
        ),
        [],
    )


# --- writing ----------------------------------------------------------------------------------


def import_pools(actor, period_id: int, content: bytes, filename: str) -> list:
    """Create every pool of the file in the period, or none: one transaction, the period row
    locked, each pool through the engine's `create_pool` (its checks and its write path).
    Finance only; the period must be open."""
    from services.costs.actions import create_pool, get_period, require_open
    from services.costs.policies import require_finance

    require_finance(actor)
    with transaction.atomic():
        period = get_period(period_id, lock=True)
        require_open(period)
        pools = parse_pool_file(content, filename, vocabulary_for(period))
        return [create_pool(actor, period.pk, data) for data in pools]
