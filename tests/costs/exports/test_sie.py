"""The SIE 4 export, written from constructed lines and read back with a minimal reader:
code page 437, one balanced voucher per agency, credit rows that name their pool and source,
configurable accounts (moved out of test_formats.py, 2026-12-07)."""

from __future__ import annotations

import re
from decimal import Decimal

from services.costs.exports import sie
from tests.costs.exports.sample import AGENCIES, MARCH, TOTALS, line, lines

# --- SIE 4 ------------------------------------------------------------------------------------
COMPANY = sie.SieCompany(name="Samnav", org_number="2021001234")
_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(\{[^}]*\})|(\S+)')


def _tokens(text: str) -> list[str]:
    out = []
    for quoted, braces, bare in _TOKEN.findall(text):
        if braces:
            out.append(braces)
        elif bare:
            out.append(bare)
        else:
            out.append(re.sub(r"\\(.)", r"\1", quoted))
    return out


def read_sie(content: bytes) -> dict:
    """A minimal SIE 4 reader: header labels, accounts, and vouchers with their rows."""
    text = content.decode("cp437")
    assert "\r\n" in text
    doc = {"labels": {}, "accounts": {}, "objects": {}, "vouchers": []}
    voucher = None
    for raw in text.split("\r\n"):
        if not raw:
            continue
        if raw == "{":
            continue
        if raw == "}":
            doc["vouchers"].append(voucher)
            voucher = None
            continue
        label, *fields = _tokens(raw)
        if label == "#VER":
            series, number, date, title = fields
            voucher = {"series": series, "number": number, "date": date, "text": title, "rows": []}
        elif label == "#TRANS":
            account, objects, amount, date, row_text = fields
            assert re.fullmatch(r"-?\d+\.\d{2}", amount), amount
            ore = int(Decimal(amount) * 100)
            voucher["rows"].append((int(account), objects, ore, date, row_text))
        elif label == "#KONTO":
            doc["accounts"][int(fields[0])] = fields[1]
        elif label == "#OBJEKT":
            doc["objects"][(fields[0], fields[1])] = fields[2]
        else:
            doc["labels"][label] = fields
    return doc


def test_sie_file_is_cp437_with_one_balanced_voucher_per_agency():
    # given the sample lines and central IT's details
    company = sie.SieCompany(name="Samnav – central IT", org_number="2021001234")
    # when the SIE 4 file is written and read back
    content = sie.sie_file(lines(), period=MARCH, company=company, generated_on=MARCH)
    doc = read_sie(content)
    # then the header says what it is
    labels = doc["labels"]
    assert labels["#FLAGGA"] == ["0"]
    assert labels["#FORMAT"] == ["PC8"]
    assert labels["#SIETYP"] == ["4"]
    assert labels["#GEN"] == ["20260301"]
    assert labels["#ORGNR"] == ["202100-1234"]
    assert labels["#RAR"] == ["0", "20260101", "20261231"]
    assert labels["#FNAMN"] == ["Samnav - central IT"]  # en dash is not in code page 437
    # and each agency has one voucher, dated the period's last day, balanced to zero,
    # whose receivable row carries the agency's total
    vouchers = doc["vouchers"]
    assert len(vouchers) == 3
    for voucher, (slug, total) in zip(vouchers, TOTALS.items(), strict=True):
        assert voucher["date"] == "20260331"
        assert sum(row[2] for row in voucher["rows"]) == 0
        receivable = voucher["rows"][0]
        assert receivable[0] == 1510
        assert receivable[1] == f'{{8 "{AGENCIES[slug][2]}"}}'
        assert receivable[2] == total
    # every account used is declared
    used = {row[0] for v in vouchers for row in v["rows"]}
    assert used == set(doc["accounts"]) == {1510, 5420, 6540, 7010}
    assert doc["accounts"][7010] == "Löner till tjänstemän"


def test_sie_credit_rows_name_their_pool_and_source_and_keep_swedish_letters():
    # given the SIE file of the sample lines
    content = sie.sie_file(lines(), period=MARCH, company=COMPANY, generated_on=MARCH)
    doc = read_sie(content)
    # then åäö are code page 437 bytes (ö = 0x94), not UTF-8
    assert "ö".encode("cp437") == b"\x94"
    assert b"\x94" in content
    assert "ö".encode() not in content
    # and alpha's credits trace to each pool and its invoice or salary reference
    alpha = doc["vouchers"][0]
    assert alpha["text"] == "Kostnadsfördelning 2026-03 Länsstyrelsen Alfa"
    credits = [(row[0], row[2], row[4]) for row in alpha["rows"][1:]]
    assert credits == [
        (7010, -1_666_667, "IT-support löner / LÖN-2026-03 (pool 9)"),
        (5420, -3_322_259, "Microsoft 365 - licenser / INV-2026-118 (pool 7)"),
        (
            6540,
            12_345,
            "Rättelse Rättelse Microsoft 365 februari / INV-2026-077 (pool 12), "
            "avser line 17 (2026-02, Microsoft 365 - licenser)",
        ),
    ]
    assert doc["objects"][("8", "2021000000")] == "Länsstyrelsen i Västra Götalands län"


def test_sie_accounts_are_configurable_and_quotes_are_escaped():
    # given a pool whose name has quotes and a backslash, and accounts of our own
    odd = line("alpha", pool_name='Avtal "A\\B" šimon', amount_ore=250)
    accounts = sie.SieAccounts(receivable_account=1512, category_accounts={"licence": 5421})
    # when the file is written and read back
    doc = read_sie(
        sie.sie_file([odd], period=MARCH, company=COMPANY, accounts=accounts, generated_on=MARCH)
    )
    # then the chosen accounts are used and the name survives (š folded to s)
    rows = doc["vouchers"][0]["rows"]
    assert [(r[0], r[2]) for r in rows] == [(1512, 250), (5421, -250)]
    assert rows[1][4] == 'Avtal "A\\B" simon / INV-2026-118 (pool 7)'
