"""Pool files: good CSV and XLSX are read to the öre; a bad file is refused whole, with every
line at fault, and (through the database) changes nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from services.costs.imports import (
    MAX_ROWS,
    PoolFileRejected,
    Vocabulary,
    import_pools,
    parse_kronor,
    parse_pool_file,
)
from services.costs.models import CostPool
from tests.costs import builders as b

VOCABULARY = Vocabulary(
    categories=frozenset({"licence", "support_staff", "supplier_invoice"}),
    keys={"antal användare": 1, "lika delar": 2},
    services={"microsoft 365": 10},
    suppliers={"atea sverige ab": 20},
    projects={"e-arkiv": 30},
    existing_pool_names=frozenset({"redan finns"}),
)

GOOD_CSV = (
    "\ufeffname;category;amount;key;source_reference;service;supplier;project\r\n"
    "Microsoft 365 – licenser;licence;100 000,01;Antal användare;INV-2026-118;"
    "Microsoft 365;Atea Sverige AB;\r\n"
    "\r\n"
    '"IT-support; löner";support_staff;50000.5;Lika delar;LÖN-2026-03;;;E-arkiv\r\n'
)


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _problems(content: bytes, filename: str, **kw) -> list[str]:
    with pytest.raises(PoolFileRejected) as caught:
        parse_pool_file(content, filename, VOCABULARY, **kw)
    messages = caught.value.message_dict["file"]
    assert messages == [str(p) for p in caught.value.problems]
    return messages


def test_kronor_take_comma_or_point_decimals_and_spaces_between_thousands():
    # given amounts as people type them
    # then each is read exactly, in öre
    assert parse_kronor("1 234,5") == 123_450
    assert parse_kronor("1234.56") == 123_456
    assert parse_kronor("1\u00a0000") == 100_000
    assert parse_kronor(12) == 1_200
    assert parse_kronor(0.1) == 10
    for bad in ("1.234", "1,234.56", "12,345", "1e3", "12 34", "", "abc"):
        with pytest.raises(ValueError):
            parse_kronor(bad)


def test_a_good_csv_is_read_to_the_ore():
    # given a semicolon CSV with a byte-order mark, Swedish letters, an empty line and a quoted
    # field holding the separator
    # when it is parsed
    pools = parse_pool_file(GOOD_CSV.encode("utf-8"), "pooler.csv", VOCABULARY)
    # then both pools come back with their references resolved
    assert [
        (p.name, p.category, p.amount_ore, p.key_id, p.service_id, p.supplier_id, p.project_id)
        for p in pools
    ] == [
        ("Microsoft 365 – licenser", "licence", 10_000_001, 1, 10, 20, None),
        ("IT-support; löner", "support_staff", 5_000_050, 2, None, None, 30),
    ]
    assert [p.source_reference for p in pools] == ["INV-2026-118", "LÖN-2026-03"]


def test_a_good_xlsx_is_read_with_numbers_or_text_amounts_and_ore():
    # given a workbook with an öre column, numbers and text
    content = _xlsx(
        [
            ["Name", "Category", "Amount_ore", "Key", "Source_reference"],
            ["Licenser", "licence", 10_000_001, "Antal användare", "INV-1"],
            [None, None, None, None, None],
            ["Löner", "support_staff", "500", "lika delar", 4711],
        ]
    )
    # when it is parsed
    pools = parse_pool_file(content, "pooler.xlsx", VOCABULARY)
    # then the amounts are öre as given, and a numeric reference is text
    assert [(p.name, p.amount_ore, p.key_id, p.source_reference) for p in pools] == [
        ("Licenser", 10_000_001, 1, "INV-1"),
        ("Löner", 500, 2, "4711"),
    ]


def test_a_bad_csv_is_refused_with_every_line_at_fault():
    # given a file with many kinds of error on different lines (header is line 1; line 4 is a
    # quoted field over two physical lines)
    content = (
        "name,category,amount,key,source_reference,service\n"
        "Ok,licence,10,Lika delar,INV-1,\n"  # 2: fine
        "Ok,licence,-5,Nyckel X,,Okänd tjänst\n"  # 3: duplicate, negative, key, ref, service
        '"Två\nrader",hemligt,12.345,Lika delar,INV-3,\n'  # 4-5: category, 3 decimals
        ",licence,abc,Lika delar,INV-4,\n"  # 6: name required, amount invalid
        "Redan finns,licence,1,Lika delar,INV-5,\n"  # 7: name exists in the period
        "Utan belopp,licence,,Lika delar,INV-6,\n"  # 8: amount required
    ).encode()
    # when it is parsed
    problems = _problems(content, "pools.csv")
    # then every problem is listed, by physical line
    assert problems == [
        "line 3: source_reference: required",
        "line 3: name: same name as line 2",
        "line 3: amount: must not be negative",
        'line 3: key: unknown key "Nyckel X"',
        'line 3: service: unknown service "Okänd tjänst"',
        'line 4: category: unknown category "hemligt"',
        "line 4: amount: not an amount in kronor with at most two decimals",
        "line 6: name: required",
        "line 6: amount: not an amount in kronor with at most two decimals",
        "line 7: name: the period already has a pool of this name",
        "line 8: amount: required",
    ]


def test_a_bad_header_is_refused_with_each_problem():
    # given a header with an unknown column, a missing one and both amount columns
    content = b"name,category,amount,amount_ore,colour,source_reference\nx,licence,1,100,r,i\n"
    # then the header's problems are all reported on line 1
    assert _problems(content, "p.csv") == [
        "line 1: colour: unknown column",
        "line 1: key: required column missing",
        "line 1: amount: give exactly one of amount or amount_ore",
    ]


def test_xlsx_formulas_are_refused_with_their_line():
    # given a workbook where an amount is a formula
    content = _xlsx(
        [
            ["name", "category", "amount", "key", "source_reference"],
            ["A", "licence", 10, "Lika delar", "INV-1"],
            ["B", "licence", "=B2*2", "Lika delar", "INV-2"],
        ]
    )
    # then the line is named
    assert _problems(content, "p.xlsx") == [
        "line 3: amount: formulas are not accepted: paste the values"
    ]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        ("name;amount\n".encode("latin-1") + "Löner;1\n".encode("latin-1"), "p.csv", "UTF-8"),
        (b"PK\x03\x04 not really a workbook", "p.xlsx", "not a readable XLSX"),
        (b"name,amount\n", "p.xls", "Send a .csv or an .xlsx file"),
        (b"PK\x03\x04", "p.csv", "Send a .csv or an .xlsx file"),
        (b"", "p.csv", "The file is empty"),
    ],
)
def test_files_of_the_wrong_kind_are_refused(content, filename, message):
    # given a file that is not UTF-8 CSV or XLSX
    problems = _problems(content, filename)
    # then one problem names the file
    assert len(problems) == 1
    assert problems[0].startswith("file: ")
    assert message in problems[0]


def test_too_many_rows_are_refused():
    # given one pool more than allowed
    rows = "".join(f"P{i},licence,1,Lika delar,INV-{i}\n" for i in range(MAX_ROWS + 1))
    content = ("name,category,amount,key,source_reference\n" + rows).encode()
    # then the file is refused as a whole
    assert _problems(content, "p.csv") == [
        f"file: The file has more than {MAX_ROWS} pools; split it."
    ]


# --- through the database -------------------------------------------------------------------
@pytest.mark.django_db
def test_import_creates_every_pool_or_none(federation):
    # given an open period and the keys the file names
    per = b.period()
    b.key("Lika delar", "even")
    b.key("Antal användare", "driver", "headcount")
    fin = federation.user("fin")
    good = GOOD_CSV.replace(";;;E-arkiv", ";;;").replace(";Microsoft 365;Atea Sverige AB;", ";;;")
    # when a file with one bad line is imported
    bad = good + "Tredje;licence;1;Okänd nyckel;INV-9;;;\r\n"
    with pytest.raises(PoolFileRejected) as caught:
        import_pools(fin, per.pk, bad.encode(), "p.csv")
    # then nothing is written, and the error names the line
    assert caught.value.message_dict["file"] == ['line 5: key: unknown key "Okänd nyckel"']
    assert CostPool.objects.filter(period=per).count() == 0
    # when the good file is imported
    pools = import_pools(fin, per.pk, good.encode(), "p.csv")
    # then both pools exist with their exact amounts
    assert sorted(
        CostPool.objects.filter(period=per).values_list("name", "amount_ore", "source_reference")
    ) == [
        ("IT-support; löner", 5_000_050, "LÖN-2026-03"),
        ("Microsoft 365 – licenser", 10_000_001, "INV-2026-118"),
    ]
    assert len(pools) == 2
    # and importing it again is refused (the names exist), changing nothing
    with pytest.raises(PoolFileRejected):
        import_pools(fin, per.pk, good.encode(), "p.csv")
    assert CostPool.objects.filter(period=per).count() == 2


@pytest.mark.django_db
def test_import_is_finance_only_and_a_denied_import_changes_nothing(federation):
    # given an open period and a good file
    from django.core.exceptions import PermissionDenied

    per = b.period()
    b.key("Lika delar", "even")
    content = b"name,category,amount,key,source_reference\nA,licence,1,Lika delar,INV-1\n"
    for name in ("alpha-admin", "cat", "nobody"):
        # when someone without the finance role imports it
        with pytest.raises(PermissionDenied):
            import_pools(federation.user(name), per.pk, content, "p.csv")
    # then nothing was written
    assert CostPool.objects.filter(period=per).count() == 0
