"""Issue 20: what finance reads in the exports. The statement's reference everywhere; the
PDF's share agrees with the kronor beside it; every adjustment with its reason and who made
it; labels and units in words, in Swedish unless English was chosen; SIE refuses to write a
file without central IT's organisation number."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from services.costs.exports import csv_report, pdf_statement, sie, xlsx_report
from services.costs.exports.rows import statement_for
from tests.costs.exports.sample import MARCH, lines, third_of_100_kr

WHEN = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(p.extract_text() for p in reader.pages).replace("\u00a0", " ")


def _third_of_100_kr():
    """The issue's case: a 100 kr pool split in three by headcount, then alpha's line adjusted
    from 33,34 kr down to 16,67 kr by finance."""
    return [third_of_100_kr()]


def test_the_pdf_share_agrees_with_the_money_and_names_the_adjustment():
    statement = statement_for(_third_of_100_kr(), 1)
    with translation.override("en"):
        text = _text(pdf_statement.statement_pdf(statement, status="Final (period closed)"))
    assert "Reference: KF-2026-03-ALPHA" in text
    assert "Status: Final (period closed)" in text
    # 16,67 kr of a 100 kr pool reads 16,67 %, not the key's 33,3333 %
    assert "16,67 %" in text and "16,67 kr" in text
    assert "33,3333" not in text
    # the key's own share is labelled as the key's, with what the split gave
    assert "The key's share: 33,33 %; the split gave 33,34 kr before adjustments." in text
    # the adjustment, its reason and who made it
    assert "Adjusted -16,67 kr on 2026-03-20 by Fia Finans: Flyttade ut i mars" in text
    # units in words, no codes
    assert "290 employees" in text
    assert "(infrastructure)" not in text and "(fixed)" not in text and "headcount" not in text
    assert "Infrastructure" in text and "Fixed weights" in text


def test_the_pdf_is_swedish_by_default_for_finance(settings):
    statement = statement_for(lines(), 1)
    with translation.override("sv"):
        text = _text(pdf_statement.statement_pdf(statement))
    assert "KF-2026-03-ALPHA" in text
    # the exact Swedish words come from the catalogue the lead merges; the codes are gone
    assert "(licence)" not in text and "(driver)" not in text
    assert " headcount" not in text


def test_csv_carries_the_reference_and_each_adjustment():
    rows = list(csv.DictReader(io.StringIO(csv_report.lines_csv(_third_of_100_kr()).decode())))
    row = rows[0]
    assert row["statement_reference"] == "KF-2026-03-ALPHA"
    assert (row["computed_sek"], row["adjustment_sek"], row["amount_sek"]) == (
        "33.34",
        "-16.67",
        "16.67",
    )
    assert row["adjustments"] == "Flyttade ut i mars: -16.67 kr (Fia Finans, 2026-03-20)"


def test_xlsx_headers_and_labels_follow_the_language():
    with translation.override("en"):
        book = load_workbook(io.BytesIO(xlsx_report.lines_xlsx(_third_of_100_kr())))
    sheet = book["Lines"]
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["Statement reference"] == "KF-2026-03-ALPHA"
    assert values["Pool category"] == "Infrastructure"
    assert values["Method"] == "Fixed weights"
    assert values["Driver"] == "290 employees"
    assert "Flyttade ut i mars" in values["Adjustments (reason, by)"]
    assert "Fia Finans" in values["Adjustments (reason, by)"]


def test_sie_is_refused_without_an_organisation_number():
    with pytest.raises(ValidationError) as caught:
        sie.sie_file(lines(), period=MARCH, company=sie.SieCompany(name="Samnav"))
    assert list(caught.value.message_dict) == ["orgNumber"]
    assert "organisation number" in caught.value.message_dict["orgNumber"][0]
