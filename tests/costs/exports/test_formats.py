"""Each export format, written from constructed lines: totals to the öre, Swedish characters,
the correction line, and each format's own rules."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from services.costs.exports import csv_report, focus, pdf_statement, xlsx_report
from services.costs.exports.rows import (
    format_kronor,
    kronor,
    pool_totals,
    statement_for,
    statements,
)
from tests.costs.exports.sample import AGENCIES, GRAND_TOTAL, TOTALS, line, lines


# --- rows -------------------------------------------------------------------------------------
def test_money_is_shown_with_exactly_two_decimals_without_float():
    # given amounts in öre, including sub-krona and negative ones
    # when they are shown as kronor
    # then the digits are exact, with two decimals
    assert kronor(10_000_001) == Decimal("100000.01")
    assert format_kronor(-5) == "-0.05"
    assert format_kronor(123_456, decimal_separator=",") == "1234,56"
    assert format_kronor(0) == "0.00"
    with pytest.raises(TypeError):
        kronor(1.5)


def test_statements_group_by_agency_and_pool_and_add_up_to_the_ore():
    # given the sample lines of three agencies
    # when they are grouped into statements
    found = statements(lines())
    # then each agency's total is exact and the correction stays with its own pool
    assert [s.agency_slug for s in found] == ["alpha", "beta", "vastra"]
    assert {s.agency_slug: s.total_ore for s in found} == TOTALS
    alpha = found[0]
    assert [(p.pool_id, p.total_ore) for p in alpha.pools] == [
        (9, 1_666_667),
        (7, 3_322_259),
        (12, -12_345),
    ]
    assert [p.amount_ore for p in pool_totals(lines())] == [5_000_000, 10_000_001, -12_345]


# --- CSV --------------------------------------------------------------------------------------
def _sum_by_agency(rows, decimal_separator) -> dict[str, int]:
    out = defaultdict(int)
    for row in rows:
        amount = Decimal(row["amount_sek"].replace(decimal_separator, "."))
        out[row["agency"]] += int(amount * 100)
    return dict(out)


def test_plain_csv_is_utf8_comma_separated_and_sums_to_each_statement():
    # given the sample lines
    # when they are written as plain CSV
    content = csv_report.lines_csv(lines())
    # then there is no byte-order mark, the header is stable, and amounts add up exactly
    assert not content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert tuple(rows[0].keys()) == csv_report.HEADER
    assert len(rows) == 7
    assert _sum_by_agency(rows, ".") == TOTALS
    correction = [r for r in rows if r["corrects"]]
    assert [(r["agency"], r["amount_sek"], r["key_version_id"]) for r in correction] == [
        ("alpha", "-123.45", "")
    ]
    assert rows[-1]["agency_name"] == "Länsstyrelsen i Västra Götalands län"
    assert {r["supplier"] for r in rows} == {'Atea "Sverige" AB', ""}


def test_excel_csv_uses_semicolon_decimal_comma_and_a_byte_order_mark():
    # given the sample lines
    # when they are written for Swedish Excel
    content = csv_report.lines_csv(lines(), csv_report.CsvDialect.EXCEL_SV)
    # then Excel finds UTF-8 (BOM), semicolons and decimal commas, and the sums still match
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert _sum_by_agency(rows, ",") == TOTALS
    assert rows[1]["amount_sek"] == "33222,59"
    assert rows[1]["share"] == "0,332225913621"
    assert "IT-support löner" in text


def test_csv_text_that_looks_like_a_formula_is_defused():
    # given a pool whose name a spreadsheet would run as a formula
    evil = line("alpha", pool_name='=HYPERLINK("http://x")', amount_ore=100)
    # when it is written
    rows = list(csv.DictReader(io.StringIO(csv_report.lines_csv([evil]).decode())))
    # then the name starts with an apostrophe; the (negative-capable) amount is untouched
    assert rows[0]["pool"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["amount_sek"] == "1.00"


# --- XLSX -------------------------------------------------------------------------------------
def test_xlsx_has_a_sheet_per_view_with_numeric_amounts_that_match_to_the_ore():
    # given the sample lines
    # when they are written as a workbook and read back
    book = load_workbook(io.BytesIO(xlsx_report.lines_xlsx(lines())))
    # then there are three sheets, amounts are numbers with a money format, and totals match
    assert book.sheetnames == ["Lines", "Per agency", "Per pool"]
    sheet = book["Lines"]
    header = [c.value for c in sheet[1]]
    amount_col = header.index("Amount (SEK)")
    amounts = [row[amount_col] for row in sheet.iter_rows(min_row=2)]
    assert all(isinstance(c.value, int | float) for c in amounts)
    assert {c.number_format for c in amounts} == {xlsx_report.MONEY_FORMAT}
    assert sum(round(Decimal(str(c.value)) * 100) for c in amounts) == GRAND_TOTAL

    per_agency = {
        row[0].value: round(Decimal(str(row[5].value)) * 100)
        for row in book["Per agency"].iter_rows(min_row=2)
    }
    assert per_agency == {**TOTALS, "Total": GRAND_TOTAL}
    assert book["Per agency"]["C4"].value == "Länsstyrelsen i Västra Götalands län"
    assert book["Per agency"]["B4"].value == "KF-2026-03-VASTRA"
    per_pool = [
        (row[0].value, round(Decimal(str(row[5].value)) * 100))
        for row in book["Per pool"].iter_rows(min_row=2)
    ]
    assert per_pool == [
        (9, 5_000_000),
        (7, 10_000_001),
        (12, -12_345),
        ("Total", GRAND_TOTAL),
    ]


# --- PDF --------------------------------------------------------------------------------------
def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


def test_pdf_statement_shows_the_agency_its_pools_and_its_total():
    # given the statement of the agency with the longest Swedish name
    statement = statement_for(lines(), AGENCIES["vastra"][0])
    # when it is written as a PDF
    content = pdf_statement.statement_pdf(statement, issuer="Samnav central IT")
    # then it is a valid PDF whose text has the agency, period, pools, references and total
    assert content.startswith(b"%PDF-")
    text = _pdf_text(content)
    assert "Länsstyrelsen i Västra Götalands län" in text
    assert "2026-03" in text
    assert "IT-support löner" in text
    assert "LÖN-2026-03" in text
    assert "INV-2026-118" in text
    assert "16 998,90 kr" in text  # 1 699 890 öre


def test_pdf_statement_lists_the_correction_and_its_total_is_exact():
    # given alpha's statement, with a correction of a closed period
    content = pdf_statement.statement_pdf(statement_for(lines(), 1))
    # then the correction and what it corrects appear, and the total includes it
    text = _pdf_text(content)
    assert "Rättelse Microsoft 365 februari" in text
    assert "Corrects line 17 (2026-02, Microsoft 365" in text
    assert "-123,45 kr" in text
    assert "49 765,81 kr" in text


def test_pdf_without_a_font_on_the_machine_uses_the_bundled_one(monkeypatch):
    # given no TTF font on the machine
    monkeypatch.setattr(pdf_statement, "_SYSTEM_FONTS", (("/nonexistent.ttf", "/no.ttf"),))
    monkeypatch.delenv("SAMNAV_PDF_FONT", raising=False)
    # when a statement is written
    assert pdf_statement.font_in_use() == "bundled:Libertinus Serif"
    content = pdf_statement.statement_pdf(statement_for(lines(), AGENCIES["vastra"][0]))
    # then åäö and the dash render (the font Typst bundles), and the total is there
    text = _pdf_text(content)
    assert "Länsstyrelsen i Västra Götalands län" in text
    assert "IT-support löner – " in text
    assert "16 998,90 kr" in text


# --- FOCUS ------------------------------------------------------------------------------------
# FOCUS 1.2 formats: Date/Time Format (UTC, ISO 8601 with Z) and Numeric Format.
FOCUS_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
FOCUS_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# The Mandatory columns of FOCUS 1.2 (Requirements Model 1.2.0.1), listed here independently.
SPEC_MANDATORY = {
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "ContractedCost",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "ServiceCategory",
    "ServiceName",
}


def _focus_rows():
    content = focus.focus_csv(lines(), focus.FocusAccount(provider_name="Samnav central IT"))
    assert not content.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    return reader.fieldnames, list(reader)


def test_focus_header_has_every_mandatory_column_and_only_spec_or_x_columns():
    # given the FOCUS export of the sample lines
    header, _rows = _focus_rows()
    # then the mandatory set is exactly the specification's; others are conditional,
    # recommended, or custom x_ columns
    assert set(focus.FOCUS_MANDATORY_COLUMNS) == SPEC_MANDATORY
    assert set(header) - {c for c in header if c.startswith("x_")} == SPEC_MANDATORY | {
        "InvoiceId",
        "SubAccountId",
        "SubAccountName",
        "ChargeFrequency",
        "ServiceSubcategory",
    }
    assert header[: len(SPEC_MANDATORY)] == sorted(SPEC_MANDATORY)


def test_focus_values_follow_the_specification_formats_and_null_rules():
    # given the FOCUS export of the sample lines
    _header, rows = _focus_rows()
    for row in rows:
        # then dates, numbers and allowed values follow FOCUS 1.2
        for column in ("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart"):
            assert FOCUS_DATETIME.match(row[column]), row[column]
        for column in ("BilledCost", "EffectiveCost", "ListCost", "ContractedCost"):
            assert FOCUS_NUMBER.match(row[column]), row[column]
        assert row["BillingPeriodStart"] == "2026-03-01T00:00:00Z"
        assert row["BillingPeriodEnd"] == "2026-04-01T00:00:00Z"
        assert row["ChargeCategory"] in focus.FOCUS_CHARGE_CATEGORIES
        assert row["ChargeFrequency"] in focus.FOCUS_CHARGE_FREQUENCIES
        assert row["ServiceCategory"] in focus.FOCUS_SERVICE_CATEGORIES
        assert row["BillingCurrency"] == "SEK"
        # mandatory columns that allow no null are filled (ChargeClass is null unless a
        # correction); PricingQuantity is set on Usage rows that are not corrections
        for column in SPEC_MANDATORY - {"ChargeClass"}:
            assert row[column] != "", column
        assert row["ChargeClass"] == ("Correction" if row["x_Corrects"] else "")
        assert FOCUS_NUMBER.match(row["PricingQuantity"])
    # and the agency is the sub-account; BilledCost sums to each statement exactly
    billed = defaultdict(int)
    for row in rows:
        billed[row["SubAccountId"]] += int(Decimal(row["BilledCost"]) * 100)
    assert billed == {AGENCIES[slug][2]: total for slug, total in TOTALS.items()}
    # names in ASCII (the validator's StringHandling rule), the Swedish text in x_ columns
    assert {r["x_SubAccountNameSv"] for r in rows} == {a[1] for a in AGENCIES.values()}
    assert "Lansstyrelsen i Vastra Gotalands lan" in {r["SubAccountName"] for r in rows}
    services = {(r["ServiceName"], r["ServiceCategory"], r["PublisherName"]) for r in rows}
    assert services == {
        ("Microsoft 365", "Business Applications", 'Atea "Sverige" AB'),
        ("IT-support loner", "Other", "Samnav central IT"),
    }
    assert "IT-support löner" in {r["x_ServiceNameSv"] for r in rows}
    # every row's InvoiceId is its statement's reference
    assert {r["InvoiceId"] for r in rows} == {f"KF-2026-03-{slug.upper()}" for slug in TOTALS}


# --- formulas, in every export ----------------------------------------------------------------
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
TEXT_FIELDS = ("pool_name", "source_reference", "service_name", "supplier_name", "key_name")


def _evil_lines() -> list:
    """One line per dangerous first character, in every text field at once."""
    return [
        line(
            "alpha",
            amount_ore=-100,
            **{f: f'{c}HYPERLINK("http://evil.example")' for f in TEXT_FIELDS},
        )
        for c in DANGEROUS
    ]


def _cells(rows) -> list[str]:
    return [
        value for row in rows for value in row if isinstance(value, str) and "HYPERLINK" in value
    ]


@pytest.mark.parametrize("dialect", list(csv_report.CsvDialect))
def test_no_csv_text_cell_starts_a_formula(dialect):
    text = csv_report.lines_csv(_evil_lines(), dialect).decode("utf-8-sig")
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    cells = _cells(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert len(cells) >= len(DANGEROUS) * len(TEXT_FIELDS)
    assert all(c.startswith("'") for c in cells), [c for c in cells if not c.startswith("'")]


def test_no_xlsx_text_cell_starts_a_formula():
    book = load_workbook(io.BytesIO(xlsx_report.lines_xlsx(_evil_lines())))
    cells = _cells(row for sheet in book for row in sheet.iter_rows(values_only=True))
    assert len(cells) >= len(DANGEROUS) * len(TEXT_FIELDS)
    assert all(c.startswith("'") for c in cells)


def test_no_focus_text_cell_starts_a_formula_and_amounts_stay_numbers():
    rows = list(csv.DictReader(io.StringIO(focus.focus_csv(_evil_lines()).decode("utf-8-sig"))))
    cells = _cells([r.values() for r in rows])
    assert len(cells) >= len(DANGEROUS) * 4  # service, pool, source reference, description
    assert all(c.startswith("'") for c in cells), [c for c in cells if not c.startswith("'")]
    assert {r["BilledCost"] for r in rows} == {"-1.00"}  # a negative amount is not "defused"
