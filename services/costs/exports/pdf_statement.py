"""One agency's statement for one period as a tagged, accessible PDF (Typst).

The page shows the agency, the period and the statement's reference (`KF-2026-11-UPPSALA`),
and per pool (with the invoice or salary reference it was booked from, and the pool's amount)
the line(s) charged: allocation key and version, the driver value with its unit in words, the
share of the pool as the kronor give it (so 16,67 kr of a 100 kr pool reads 16,67 %; the
key's own share is added, labelled, when an adjustment made the two differ) and the amount;
then every adjustment with its reason and who made it, and the total. Corrections name the
line they correct. Labels are in the active language, and so is the document's language.

Accessibility (WCAG / EN 301 549 for documents): the PDF is PDF/UA-1, compiled by Typst
(the `typst` package bundles the compiler). It is tagged (a structure tree in reading order:
H1, H2, P, and per pool a Table with TH header cells, TD data cells and the pool's total),
declares its language (/Lang "sv" or "en") and carries a title shown in the window's title
bar. fpdf2 was replaced because it writes only a flat structure tree (no Table/TR/TH/TD).

The layout is `statement.typ`; every word and figure is handed to it as JSON (sys.inputs),
never written into Typst markup, so no text of a user's can act as markup.

Fonts: SAMNAV_PDF_FONT (and SAMNAV_PDF_FONT_BOLD) name a TTF/OTF to use; else DejaVu Sans
when installed (Debian's fonts-dejavu-core); else Typst's bundled Libertinus Serif, so the
PDF has the same Unicode text (å, ä, ö, –, non-breaking spaces) on every machine, offline.
`font_in_use()` says which font is used.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
from decimal import Decimal
from pathlib import Path
from typing import Literal

import typst
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services.costs.exports.labels import category_label, driver_label, key_label
from services.costs.exports.rows import ExportLine, Statement, format_decimal, format_kronor

TEMPLATE = Path(__file__).with_name("statement.typ")
BUNDLED_FONT = "Libertinus Serif"  # shipped inside the typst package
_SYSTEM_FONTS = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
)
PDF_STANDARD: Literal["ua-1"] = "ua-1"
logger = logging.getLogger(__name__)
NBSP = "\u00a0"
_PAGE_MARK = "\x00"


def _font_files() -> tuple[Path, Path] | None:
    regular = os.environ.get("SAMNAV_PDF_FONT")
    if regular:
        bold = os.environ.get("SAMNAV_PDF_FONT_BOLD") or regular
        if Path(regular).is_file() and Path(bold).is_file():
            return Path(regular), Path(bold)
    for regular, bold in _SYSTEM_FONTS:
        if Path(regular).is_file() and Path(bold).is_file():
            return Path(regular), Path(bold)
    return None


@functools.lru_cache(maxsize=8)
def _family_of(path: Path) -> str | None:
    """The font family Typst reads from the file at `path`, or None if it reads none."""
    fonts = typst.Fonts(include_system_fonts=False, font_paths=[str(path.parent)])
    for info in fonts.fonts():
        if info.path and Path(info.path).resolve() == path.resolve():
            return str(info.family)
    return None


def _font() -> tuple[str, list[str], Path | None]:
    """The font family, the folders Typst loads fonts from, and the file (None: bundled)."""
    files = _font_files()
    if files is not None:
        family = _family_of(files[0])
        if family is not None:
            return family, sorted({str(files[0].parent), str(files[1].parent)}), files[0]
    return BUNDLED_FONT, [], None


def font_in_use() -> str:
    """ "ttf:<path>" when a font file of the machine is used, else "bundled:<family>"."""
    family, _folders, path = _font()
    return f"ttf:{path}" if path is not None else f"bundled:{family}"


@functools.lru_cache(maxsize=4)
def _fonts(folders: tuple[str, ...]) -> typst.Fonts:
    """Typst's bundled fonts and those in `folders`; never the machine's other fonts."""
    return typst.Fonts(include_system_fonts=False, font_paths=list(folders))


@functools.lru_cache(maxsize=1)
def _template() -> bytes:
    return TEMPLATE.read_bytes()


def _money(ore: int) -> str:
    """1234567 -> "12 345,67 kr" (Swedish grouping with a no-break space)."""
    text = format_kronor(abs(ore), decimal_separator=",")
    whole, decimals = text.split(",")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sign = "-" if ore < 0 else ""
    return f"{sign}{NBSP.join(groups)},{decimals}{NBSP}kr"


def _percent(share: Decimal) -> str:
    """0.16671 -> "16,67 %" (two decimals, as the kronor beside it are rounded; a decimal
    comma like the kronor's)."""
    percent = (share * 100).quantize(Decimal("0.01"))
    return f"{format_decimal(percent, decimal_separator=',')}{NBSP}%"


def _line_notes(line: ExportLine) -> list[str]:
    """What the reader needs beside a line: the key's own share and the split's amount when
    an adjustment moved the money away from them, every adjustment with its reason and who
    made it, what a correction corrects."""
    notes = []
    if line.adjustments and not line.is_correction:
        notes.append(
            _("The key's share: %(share)s; the split gave %(amount)s before adjustments.")
            % {"share": _percent(Decimal(line.share)), "amount": _money(line.computed)}
        )
    for adjustment in line.adjustments:
        notes.append(
            _("Adjusted %(amount)s on %(date)s by %(who)s: %(reason)s")
            % {
                "amount": ("+" if adjustment.amount_ore > 0 else "")
                + _money(adjustment.amount_ore),
                "date": f"{adjustment.made_at:%Y-%m-%d}" if adjustment.made_at else "",
                "who": adjustment.made_by,
                "reason": adjustment.reason,
            }
        )
    if line.is_correction:
        notes.append(_("Corrects %(reference)s") % {"reference": line.corrects})
    return notes


def document_language() -> str:
    """The active language as the PDF declares it: "sv" or "en" (ISO 639-1)."""
    return (get_language() or "sv").split("-")[0].lower()


def _heading(statement: Statement) -> str:
    """ "Kostnadsbesked november 2026", in the active language."""
    return _("Cost statement %(period)s") % {"period": date_format(statement.period, "F Y")}


def statement_title(statement: Statement) -> str:
    """ "Kostnadsbesked november 2026 – Länsstyrelsen i Uppsala län", in the active language."""
    return f"{_heading(statement)} – {statement.agency_name}"


def _facts(
    statement: Statement, issuer: str, generated_at: dt.datetime | None, status: str
) -> list[str]:
    facts = [_("Reference: %(reference)s") % {"reference": statement.reference}]
    if status:
        facts.append(_("Status: %(status)s") % {"status": status})
    facts.append(_("Organisation number: %(number)s") % {"number": statement.agency_org_number})
    facts.append(_("Issued by: %(issuer)s") % {"issuer": issuer})
    if generated_at is not None:
        facts.append(_("Generated: %(at)s") % {"at": f"{generated_at:%Y-%m-%d %H:%M}"})
    return facts


def _pools(statement: Statement) -> list[dict[str, object]]:
    pools: list[dict[str, object]] = []
    for pool in statement.pools:
        first = pool.lines[0]
        source = _("Source: %(reference)s (pool %(pool)s)") % {
            "reference": pool.source_reference,
            "pool": pool.pool_id,
        }
        if first.pool_amount_ore is not None and not first.is_correction:
            source += "; " + _("the pool: %(amount)s") % {"amount": _money(first.pool_amount_ore)}
        pools.append(
            {
                "heading": f"{pool.pool_name} – {category_label(pool.pool_category)}",
                "source": source,
                "lines": [
                    {
                        "key": key_label(line),
                        "driver": driver_label(line),
                        "share": _percent(line.pool_share) if line.pool_share is not None else "",
                        "amount": _money(line.amount_ore),
                        "notes": _line_notes(line),
                    }
                    for line in pool.lines
                ],
                "total_label": _("Pool total"),
                "total": _money(pool.total_ore),
            }
        )
    return pools


def statement_data(
    statement: Statement,
    *,
    issuer: str = "Samnav",
    generated_at: dt.datetime | None = None,
    status: str = "",
) -> dict[str, object]:
    """Everything the template shows, as plain strings: translated, and money formatted from
    integer öre."""
    before, _mark, after = (_("Page %(page)s") % {"page": _PAGE_MARK}).partition(_PAGE_MARK)
    return {
        "title": statement_title(statement),
        "heading": {"period": _heading(statement), "agency": statement.agency_name},
        "author": issuer,
        "lang": document_language(),
        "font": _font()[0],
        "page": {"before": before, "after": after},
        "facts": _facts(statement, issuer, generated_at, status),
        "columns": [_("Allocation key"), _("Driver"), _("Share of the pool"), _("Amount")],
        "pools": _pools(statement),
        "total": {"label": _("Total"), "amount": _money(statement.total_ore)},
    }


def statement_pdf(
    statement: Statement,
    *,
    issuer: str = "Samnav",
    generated_at: dt.datetime | None = None,
    status: str = "",
) -> bytes:
    """The statement's PDF bytes. `status`: the statement's state in words, when known."""
    data = statement_data(statement, issuer=issuer, generated_at=generated_at, status=status)
    _family, folders, _path = _font()
    created = generated_at or timezone.now()
    if timezone.is_naive(created):
        created = timezone.make_aware(created, dt.UTC)
    inputs = {"data": json.dumps(data, ensure_ascii=False)}
    stamp = int(created.timestamp())
    try:
        return _compile(inputs, folders, stamp, standard=PDF_STANDARD)
    except typst.TypstError as error:
        # PDF/UA-1 refuses a character no font has a glyph for (say, Chinese in a reason);
        # the PDF is then written tagged as ever, only without claiming PDF/UA-1.
        logger.warning("Statement %s is not PDF/UA-1: %s", statement.reference, error)
        return _compile(inputs, folders, stamp, standard=None)


def _compile(
    inputs: dict[str, str], folders: list[str], stamp: int, *, standard: Literal["ua-1"] | None
) -> bytes:
    return typst.compile(
        _template(),
        format="pdf",
        sys_inputs=inputs,
        font_paths=_fonts(tuple(folders)),
        ignore_system_fonts=True,
        pdf_standards=standard,
        timestamp=stamp,
    )
