"""A pool file read whole: its header and every row checked (`parse_pool_file`), then its pools
created all or nothing through the actions (`import_pools`)."""

from __future__ import annotations

from decimal import InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from services.costs.actions import PoolInput, create_pool, get_period, require_open
from services.costs.errors import CostErrorCode as Code
from services.costs.imports.amounts import parse_kronor, parse_ore
from services.costs.imports.cells import cell_text, csv_rows, is_empty, is_formula, raw, xlsx_rows
from services.costs.imports.problems import PoolFileRejected, Problem, rejected
from services.costs.imports.vocabulary import Vocabulary, vocabulary_for
from services.costs.models import CostPool
from services.costs.policies import require_finance
from tenants.models import User

MAX_ROWS = 1000
MAX_BYTES = 5 * 1024 * 1024
MAX_AMOUNT_ORE = 10**13  # 100 000 000 000 kr: beyond any real pool, inside BigIntegerField
REQUIRED_COLUMNS = ("name", "category", "key", "source_reference")
AMOUNT_COLUMNS = ("amount", "amount_ore")
OPTIONAL_COLUMNS = ("service", "supplier", "project")
KNOWN_COLUMNS = frozenset(REQUIRED_COLUMNS + AMOUNT_COLUMNS + OPTIONAL_COLUMNS)
MAX_LENGTH = {"name": 200, "source_reference": 100}


def parse_pool_file(
    content: bytes, filename: str, vocabulary: Vocabulary, *, max_rows: int = MAX_ROWS
) -> list[PoolInput]:
    """Every pool of the file (in file order), or PoolFileRejected."""
    if len(content) > MAX_BYTES:
        raise rejected(
            "file",
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            Code.INVALID,
        )
    name = (filename or "").lower()
    is_zip = content[:4] == b"PK\x03\x04"
    if name.endswith(".xlsx") and is_zip:
        rows = xlsx_rows(content)
    elif name.endswith(".csv") and not is_zip:
        rows = csv_rows(content)
    else:
        raise rejected("file", _("Send a .csv or an .xlsx file."))

    problems: list[Problem] = []
    pools: list[PoolInput] = []
    header: list[str] | None = None
    seen: dict[str, int] = {}
    count = 0
    for line, values in rows:
        if header is None:
            header = [cell_text(v).lstrip("\ufeff").lower() for v in values]
            problems += _check_header(header)
            if problems:
                raise PoolFileRejected(problems)
            continue
        if is_empty(values):
            continue
        count += 1
        if count > max_rows:
            raise rejected(
                "file",
                _("The file has more than %(max)s pools; split it.") % {"max": max_rows},
            )
        row = dict(zip(header, values, strict=False))
        pool, row_problems = _check_row(line, row, vocabulary, seen)
        problems += row_problems
        if pool is not None:
            pools.append(pool)
    if header is None:
        raise rejected("file", _("The file is empty."), Code.REQUIRED)
    if count == 0 and not problems:
        raise rejected("file", _("The file has no pools."), Code.REQUIRED)
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


def _check_row(
    line: int, row: dict, vocabulary: Vocabulary, seen: dict[str, int]
) -> tuple[PoolInput | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(field_name: str, reason: str, code: str = Code.INVALID) -> None:
        problems.append(Problem(line, field_name, reason, code))

    for column, value in row.items():
        if is_formula(value):
            problem(column, _("formulas are not accepted: paste the values"))
    if problems:
        return None, problems

    texts = {column: cell_text(row.get(column)) for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
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
    value = raw(row.get(column))
    if value in (None, ""):
        problem(column, _("required"), Code.REQUIRED)
    else:
        try:
            amount_ore = parse_kronor(value) if column == "amount" else parse_ore(value)
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

    refs: dict[str, int | None] = {}
    for column, table in (
        ("key", vocabulary.keys),
        ("service", vocabulary.services),
        ("supplier", vocabulary.suppliers),
        ("project", vocabulary.projects),
    ):
        name = texts[column]
        if not name:
            refs[column] = None
            continue
        refs[column] = table.get(name.casefold())
        if refs[column] is None:
            problem(
                column,
                _('unknown %(what)s "%(value)s"') % {"what": column, "value": name},
                Code.NOT_FOUND,
            )

    if problems or amount_ore is None:
        return None, problems
    pool = PoolInput(
        name=texts["name"],
        category=category,
        amount_ore=amount_ore,
        key_id=refs["key"],
        service_id=refs["service"],
        supplier_id=refs["supplier"],
        project_id=refs["project"],
        source_reference=texts["source_reference"],
    )
    return pool, []


def import_pools(
    actor: User | None, period_id: int, content: bytes, filename: str
) -> list[CostPool]:
    """Create every pool of the file in the period, or none: one transaction, the period row
    locked, each pool through the engine's `create_pool` (its checks and its write path).
    Finance only; the period must be open."""
    require_finance(actor)
    with transaction.atomic():
        period = get_period(period_id, lock=True)
        require_open(period)
        pools = parse_pool_file(content, filename, vocabulary_for(period))
        return [create_pool(actor, period.pk, data) for data in pools]
