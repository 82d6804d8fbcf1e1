"""One agency's statement for one period as a PDF (fpdf2).

The page shows the agency, the period and the statement's reference (`KF-2026-11-UPPSALA`),
and per pool (with the invoice or salary reference it was booked from, and the pool's amount)
the line(s) charged: allocation key and version, the driver value with its unit in words, the
share of the pool as the kronor give it (so 16,67 kr of a 100 kr pool reads 16,67 %; the
key's own share is added, labelled, when an adjustment made the two differ) and the amount;
then every adjustment with its reason and who made it, and the total. Corrections name the
line they correct. Labels are in the active language.

Fonts: fpdf2 ships no Unicode font of its own. We embed DejaVu Sans when it is installed
(Debian's fonts-dejavu-core: /usr/share/fonts/truetype/dejavu), or the TTF named by the
SAMNAV_PDF_FONT / SAMNAV_PDF_FONT_BOLD environment variables. Without one we fall back to
the PDF core font Helvetica (Latin-1 text): å, ä, ö and é still render; dashes and quotes
become ASCII, and any other character outside Latin-1 is written as "?".
`font_in_use()` says which font is used.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from services.costs.exports.labels import category_label, driver_label, key_label
from services.costs.exports.rows import (
    ExportLine,
    Statement,
    fold_text,
    format_decimal,
    format_kronor,
)

FONT_FAMILY = "SamnavSans"
_SYSTEM_FONTS = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
)
_CORE_FONT = "Helvetica"
NBSP = "\u00a0"


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


def font_in_use() -> str:
    """ "ttf:<path>" when a Unicode font is embedded, else "core:Helvetica"."""
    files = _font_files()
    return f"ttf:{files[0]}" if files else f"core:{_CORE_FONT}"


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


class _StatementPdf(FPDF):
    def __init__(self, unicode_font: bool) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.unicode_font = unicode_font
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def text_of(self, value: str) -> str:
        if self.unicode_font:
            return value
        # fpdf2's core fonts take Latin-1 only.
        return fold_text(value, "latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.use_font(size=8)
        self.cell(0, 5, self.text_of(_("Page %(page)s") % {"page": self.page_no()}), align="R")

    def use_font(self, *, size: float, bold: bool = False) -> None:
        family = FONT_FAMILY if self.unicode_font else _CORE_FONT
        self.set_font(family, "B" if bold else "", size)

    def line_text(
        self,
        width: float,
        height: float,
        value: str,
        *,
        align: str = "L",
        bold: bool = False,
        size: float = 9,
        newline: bool = False,
    ) -> None:
        self.use_font(size=size, bold=bold)
        self.cell(
            width,
            height,
            self.text_of(value),
            align=align,
            new_x=XPos.LMARGIN if newline else XPos.RIGHT,
            new_y=YPos.NEXT if newline else YPos.TOP,
        )


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


def statement_pdf(
    statement: Statement,
    *,
    issuer: str = "Samnav",
    generated_at: dt.datetime | None = None,
    status: str = "",
) -> bytes:
    """The statement's PDF bytes. `status`: the statement's state in words, when known."""
    files = _font_files()
    pdf = _StatementPdf(unicode_font=files is not None)
    if files is not None:
        pdf.add_font(FONT_FAMILY, "", str(files[0]))
        pdf.add_font(FONT_FAMILY, "B", str(files[1]))
    title = _("Cost statement %(period)s") % {"period": f"{statement.period:%Y-%m}"}
    pdf.set_title(pdf.text_of(f"{title} {statement.agency_name}"))
    pdf.set_author(pdf.text_of(issuer))
    pdf.set_creator("Samnav")
    pdf.add_page()

    pdf.line_text(0, 9, title, bold=True, size=16, newline=True)
    pdf.line_text(0, 6, statement.agency_name, bold=True, size=12, newline=True)
    pdf.line_text(
        0,
        5,
        _("Reference: %(reference)s") % {"reference": statement.reference},
        bold=True,
        size=9,
        newline=True,
    )
    if status:
        pdf.line_text(0, 5, _("Status: %(status)s") % {"status": status}, size=9, newline=True)
    pdf.line_text(
        0,
        5,
        _("Organisation number: %(number)s") % {"number": statement.agency_org_number},
        size=9,
        newline=True,
    )
    pdf.line_text(0, 5, _("Issued by: %(issuer)s") % {"issuer": issuer}, size=9, newline=True)
    if generated_at is not None:
        pdf.line_text(
            0, 5, _("Generated: %(at)s") % {"at": f"{generated_at:%Y-%m-%d %H:%M}"}, newline=True
        )
    pdf.ln(4)

    widths = (66, 48, 36, 30)  # key, driver, share of the pool, amount: 180 mm in all
    for pool in statement.pools:
        heading = f"{pool.pool_name} – {category_label(pool.pool_category)}"
        pdf.line_text(0, 6, heading, bold=True, size=10, newline=True)
        first = pool.lines[0]
        source = _("Source: %(reference)s (pool %(pool)s)") % {
            "reference": pool.source_reference,
            "pool": pool.pool_id,
        }
        if first.pool_amount_ore is not None and not first.is_correction:
            source += "; " + _("the pool: %(amount)s") % {"amount": _money(first.pool_amount_ore)}
        pdf.line_text(0, 5, source, size=8, newline=True)
        for name, width in zip(
            (_("Allocation key"), _("Driver"), _("Share of the pool"), _("Amount")),
            widths,
            strict=True,
        ):
            align = "R" if width == widths[-1] else "L"
            pdf.line_text(width, 5, name, bold=True, size=8, align=align)
        pdf.ln(5)
        for line in pool.lines:
            share = line.pool_share
            pdf.line_text(widths[0], 5, key_label(line), size=8)
            pdf.line_text(widths[1], 5, driver_label(line), size=8)
            pdf.line_text(widths[2], 5, _percent(share) if share is not None else "", size=8)
            pdf.line_text(widths[3], 5, _money(line.amount_ore), size=8, align="R", newline=True)
            for note in _line_notes(line):
                pdf.line_text(0, 4, note, size=7, newline=True)
        pdf.line_text(sum(widths[:3]), 5, _("Pool total"), bold=True, size=8)
        pdf.line_text(widths[3], 5, _money(pool.total_ore), bold=True, size=8, align="R")
        pdf.ln(8)

    pdf.line_text(sum(widths[:3]), 7, _("Total"), bold=True, size=11)
    pdf.line_text(
        widths[3], 7, _money(statement.total_ore), bold=True, size=11, align="R", newline=True
    )
    return bytes(pdf.output())
