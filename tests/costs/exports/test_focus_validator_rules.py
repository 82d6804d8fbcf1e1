"""The FOCUS file against the FinOps Foundation focus-validator's own rules for FOCUS 1.2.

`focus_rules_1_2.json` is extracted from the validator's rule model
(finopsfoundation/focus_validator, focus_validator/rules/model-1.2.json; see its "source"):
the columns its StringHandling rule (FormatString: ASCII only) applies to, the columns it
requires present and not null, and ServiceSubcategory's allowed values with their one
parent ServiceCategory. The validator itself is not a dependency (see
docs/decisions/2026-12-07-cost-statements.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from pathlib import Path

import pytest

from services.costs.exports import focus
from tests.costs.exports.sample import lines

RULES = json.loads((Path(__file__).parent / "focus_rules_1_2.json").read_text())


def _rows() -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(focus.focus_csv(lines()).decode("utf-8")))
    return list(reader.fieldnames or []), list(reader)


def test_every_string_handling_column_is_ascii():
    header, rows = _rows()
    checked = [c for c in RULES["ascii_columns"] if c in header]
    # the columns the issue names, and every other such column we write
    assert {"ServiceName", "ChargeDescription", "SubAccountName", "InvoiceId"} <= set(checked)
    for row in rows:
        for column in checked:
            assert row[column].isascii(), (column, row[column])
    # the Swedish text is kept beside them
    assert any(not r["x_ServiceNameSv"].isascii() for r in rows)
    assert any(not r["x_ChargeDescriptionSv"].isascii() for r in rows)


def test_mandatory_columns_are_present_and_not_null():
    header, rows = _rows()
    assert set(RULES["mandatory_columns"]) <= set(header)
    for row in rows:
        for column in RULES["not_null_columns"]:
            if column in header:
                assert row[column] != "", column


def test_service_subcategory_is_allowed_with_its_one_parent():
    _header, rows = _rows()
    parent = {sub: cat for sub, cat in RULES["subcategory_parent"]}
    for row in rows:
        assert parent[row["ServiceSubcategory"]] == row["ServiceCategory"]
    # and every mapping we have is allowed under the category we map to
    for category, sub in focus.SERVICE_SUBCATEGORY.items():
        assert parent[sub] == focus.service_category(category), category
    assert parent[focus.DEFAULT_SERVICE_SUBCATEGORY] == focus.DEFAULT_SERVICE_CATEGORY


def test_a_correction_is_charged_for_the_month_it_corrects():
    _header, rows = _rows()
    correction = next(r for r in rows if r["ChargeClass"] == "Correction")
    assert correction["ChargePeriodStart"] == "2026-02-01T00:00:00Z"
    assert correction["ChargePeriodEnd"] == "2026-03-01T00:00:00Z"
    assert correction["BillingPeriodStart"] == "2026-03-01T00:00:00Z"
    others = [r for r in rows if r["ChargeClass"] != "Correction"]
    assert {r["ChargePeriodStart"] for r in others} == {"2026-03-01T00:00:00Z"}


def test_the_metadata_1_2_requires():
    created = dt.datetime(2026, 12, 7, 15, 30, tzinfo=dt.UTC)
    meta = json.loads(focus.focus_metadata_json(created))
    assert meta["FocusVersion"] == "1.2"
    assert meta["DataGenerator"] == {"DataGenerator": "Samnav"}
    assert meta["CreationDate"] == "2026-12-07T15:30:00Z"
    assert uuid.UUID(meta["SchemaId"]).version == 5
    # the same columns give the same SchemaId
    assert meta["SchemaId"] == focus.schema_id()
    header, _rows_ = _rows()
    assert [c["ColumnName"] for c in meta["ColumnDefinition"]] == header
    types = {c["ColumnName"]: c["DataType"] for c in meta["ColumnDefinition"]}
    assert types["BilledCost"] == "DECIMAL" and types["ChargePeriodStart"] == "DATETIME"


@pytest.mark.parametrize("text", ["Länsstyrelsen – Öst", "Ärende ß"])
def test_folding_keeps_readable_ascii(text):
    folded = focus.ascii_text(text)
    assert folded.isascii()
    assert folded.startswith(("Lansstyrelsen - Ost", "Arende"))
