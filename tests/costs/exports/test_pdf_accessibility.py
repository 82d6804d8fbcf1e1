"""Issue 21 (point 4): the PDF statement is accessible (WCAG 2.1 / EN 301 549, clause 10).

It is tagged (a structure tree: headings, paragraphs, and each pool's lines as a table with
header cells), declares the reader's language, carries a title the viewer shows, reads in
order, and says things in the reader's words rather than the engine's codes. The tags are
read with pypdf; the text with Poppler's pdftotext (Debian's poppler-utils), as a screen
reader or a copy-paste would get it."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from django.utils import translation
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject

from services.costs.exports import pdf_statement
from services.costs.exports.rows import LineAdjustment, Statement, statement_for
from tests.costs.exports.sample import line, lines, third_of_100_kr

WHEN = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
CODES = ("support_staff", "headcount", "licence_seats", "infrastructure", "(driver)", "(fixed)")


def _alpha() -> Statement:
    """Alpha's statement: an even split, a split by headcount (290 employees, with the
    pool's amount and an adjustment) and a correction of a closed period."""
    servers = third_of_100_kr(key_name="Servrar 30/70", key_version_id=12)
    return statement_for([*lines(), servers], 1)


def _pdf(language: str, statement: Statement | None = None) -> bytes:
    with translation.override(language):
        return pdf_statement.statement_pdf(
            statement or _alpha(), issuer="Samnav central IT", generated_at=WHEN
        )


def _pdftotext(content: bytes) -> str:
    """The text in content order (`-raw`), as pdftotext gives it."""
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    done = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def _structure(reader: PdfReader) -> list[tuple[str, ...]]:
    """Every structure element as its path of types from the root: ("Document", "H1"), ..."""
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    role_map = root.get("/RoleMap", {})
    paths: list[tuple[str, ...]] = []

    def walk(node, path: tuple[str, ...]) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, path)
            return
        if not isinstance(node, DictionaryObject) or "/S" not in node:
            return  # a marked-content reference (an MCID) or an object reference
        kind = str(role_map.get(node["/S"], node["/S"])).lstrip("/")
        paths.append((*path, kind))
        if "/K" in node:
            walk(node["/K"], (*path, kind))

    walk(root["/K"], ())
    return paths


def _in_order(text: str, expected: list[str]) -> None:
    position = 0
    for piece in expected:
        found = text.find(piece, position)
        assert found >= 0, f"{piece!r} missing, or out of order after {text[:position][-80:]!r}"
        position = found + len(piece)


def test_the_pdf_is_tagged_with_headings_and_tables_with_header_cells():
    reader = PdfReader(io.BytesIO(_pdf("sv")))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    paths = _structure(reader)
    kinds = {path[-1] for path in paths}
    assert {"Document", "H1", "H2", "P", "Table", "TR", "TH", "TD"} <= kinds
    # every pool is a table whose first row holds the four column headers, scoped to columns
    tables = [path for path in paths if path[-1] == "Table"]
    assert len(tables) == 4
    header_cells = [path for path in paths if path[-1] == "TH"]
    assert all(path[-3:] == ("THead", "TR", "TH") for path in header_cells)
    assert len(header_cells) == 4 * len(tables)
    assert any(path[-4:] == ("Table", "TBody", "TR", "TD") for path in paths)


def test_the_header_cells_apply_to_their_columns():
    reader = PdfReader(io.BytesIO(_pdf("en")))
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    scopes = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            if node["/S"] == "/TH":
                attributes = node.get("/A", [])
                attributes = attributes if isinstance(attributes, ArrayObject) else [attributes]
                scopes.extend(a.get_object().get("/Scope") for a in attributes)
            if "/K" in node:
                walk(node["/K"])

    walk(root["/K"])
    assert scopes and all(scope in ("/Column", None) for scope in scopes)
    assert scopes.count("/Column") == 16


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("sv", "Kostnadsbesked mars 2026 – Länsstyrelsen Alfa"),
        ("en", "Cost statement March 2026 – Länsstyrelsen Alfa"),
    ],
)
def test_the_pdf_declares_its_language_and_title(language, title):
    content = _pdf(language)
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == language
    assert reader.metadata.title == title
    assert reader.xmp_metadata.dc_title["x-default"] == title
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    # it claims PDF/UA-1 (ISO 14289-1) in its XMP metadata
    assert b"<pdfuaid:part>1</pdfuaid:part>" in content


def test_the_text_reads_in_order_in_swedish():
    text = _pdftotext(_pdf("sv"))
    _in_order(
        text,
        [
            "Kostnadsbesked mars 2026",
            "Länsstyrelsen Alfa",
            "Referens: KF-2026-03-ALPHA",
            "Organisationsnummer: 2021998014",
            "Utfärdat av: Samnav central IT",
            "IT-support löner – Supportpersonal",
            "Källa: LÖN-2026-03 (kostnadspool 9)",
            "Fördelningsnyckel",
            "Fördelningsgrund",
            "Belopp",
            "Lika delar, version 4 (Jämn fördelning)",
            "lika andel",
            "16 666,67 kr",
            "Summa för kostnadspoolen",
            "Rättelse Microsoft 365 februari",
            "-123,45 kr",
            "Servrar – Infrastruktur",
            "kostnadspoolen: 100,00 kr",
            "Servrar 30/70, version 12 (Fasta vikter)",
            "290 anställda",
            "16,67 %",
            "16,67 kr",
            "Fia Finans: Flyttade ut i mars",
            "Summa 49 782,48 kr",
            "Sida 1",
        ],
    )


def test_the_text_reads_in_order_in_english():
    text = _pdftotext(_pdf("en"))
    _in_order(
        text,
        [
            "Cost statement March 2026",
            "Reference: KF-2026-03-ALPHA",
            "Support staff",
            "Allocation key",
            "Driver",
            "Share of the pool",
            "Amount",
            "Lika delar, version 4 (Even split)",
            "equal share",
            "Corrects line 17",
            "Servrar 30/70, version 12 (Fixed weights)",
            "290 employees",
            "16,67 %",
            "The key's share: 33,33 %; the split gave 33,34 kr before adjustments.",
            "Adjusted -16,67 kr on 2026-03-20 by Fia Finans: Flyttade ut i mars",
            "Pool total 16,67 kr",
            "Total 49 782,48 kr",
            "Page 1",
        ],
    )


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_text_has_the_readers_words_not_the_engines_codes(language):
    text = _pdftotext(_pdf(language))
    for code in CODES:
        assert code not in text
    assert not re.search(r"\beven\b", text)  # the method's code ("Even split" is its label)
    assert "290,0000" not in text and "290.0000" not in text
    assert ("290 anställda" if language == "sv" else "290 employees") in text


def test_money_keeps_its_no_break_spaces_and_the_letters_their_accents():
    reader = PdfReader(io.BytesIO(_pdf("sv")))
    text = reader.pages[0].extract_text()
    assert "49\u00a0782,48\u00a0kr" in text
    assert "Länsstyrelsen Alfa" in text and "IT-support löner" in text


def test_a_users_text_is_printed_as_it_was_written_never_run_as_markup():
    reason = "#strong[x] $y$ <z> @w ] ) } \\ `raw` #set text(fill: red)"
    adjusted = line(
        "alpha",
        amount_ore=1_00,
        pool_amount_ore=3_00,
        adjustments=(LineAdjustment(1, reason, "Fia Finans", WHEN),),
    )
    text = _pdftotext(_pdf("en", statement_for([adjusted], 1)))
    assert reason in text.replace("\n", " ")


def test_a_character_no_font_has_still_gives_a_tagged_pdf():
    adjusted = line(
        "alpha",
        amount_ore=1_00,
        adjustments=(LineAdjustment(1, "Avtal 中文 🙂", "Fia Finans", WHEN),),
    )
    reader = PdfReader(io.BytesIO(_pdf("sv", statement_for([adjusted], 1))))
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert any(path[-1] == "TH" for path in _structure(reader))
