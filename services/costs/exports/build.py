"""One function that turns export lines into a file of a chosen format."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from services.costs.exports import csv_report, focus, pdf_statement, sie, xlsx_report
from services.costs.exports.rows import ExportLine, statements
from tenants.models import Agency, AgencyKind


class ExportFormat(StrEnum):
    CSV = "csv"  # comma, decimal point, UTF-8
    CSV_EXCEL = "csv_excel"  # semicolon, decimal comma, UTF-8 with BOM (Swedish Excel)
    XLSX = "xlsx"
    PDF = "pdf"  # one agency: its statement; several: a ZIP of one PDF per agency
    FOCUS = "focus"  # FOCUS 1.2 CSV
    FOCUS_METADATA = "focus_metadata"  # the FOCUS file's metadata (JSON)
    SIE = "sie"  # SIE 4 import file, one voucher per agency


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def issuer() -> str:
    return getattr(settings, "COSTS_EXPORT_ISSUER", "Samnav")


def focus_account() -> focus.FocusAccount:
    return focus.FocusAccount(
        provider_name=issuer(),
        billing_account_id=getattr(settings, "COSTS_FOCUS_BILLING_ACCOUNT_ID", "samnav"),
        billing_account_name=getattr(
            settings, "COSTS_FOCUS_BILLING_ACCOUNT_NAME", "Samnav federation"
        ),
    )


def central_org_number() -> str:
    """Central IT's organisation number, from its own agency row (the public schema's)."""
    number = (
        Agency.objects.filter(kind=AgencyKind.CENTRAL).values_list("org_number", flat=True).first()
    )
    return number or ""


def sie_company() -> sie.SieCompany:
    return sie.SieCompany(
        name=issuer(),
        org_number=central_org_number(),
        voucher_series=getattr(settings, "COSTS_SIE_VOUCHER_SERIES", "K"),
    )


def sie_accounts() -> sie.SieAccounts:
    accounts = dict(sie.DEFAULT_CATEGORY_ACCOUNTS)
    accounts.update(getattr(settings, "COSTS_SIE_CATEGORY_ACCOUNTS", {}))
    names = dict(sie.DEFAULT_ACCOUNT_NAMES)
    names.update(getattr(settings, "COSTS_SIE_ACCOUNT_NAMES", {}))
    return sie.SieAccounts(
        receivable_account=getattr(
            settings, "COSTS_SIE_RECEIVABLE_ACCOUNT", sie.DEFAULT_RECEIVABLE_ACCOUNT
        ),
        category_accounts=accounts,
        account_names=names,
    )


def build(
    fmt: ExportFormat | str,
    lines: list[ExportLine],
    *,
    period: dt.date,
    stem: str,
    progress: Callable[[int, int], None] | None = None,
    status: str = "",
) -> ExportFile:
    """The file of `lines` in `fmt`, named `<stem>.<ext>`. `progress(done, total)` is called
    as agencies are written (PDF) or once at the end (the other formats)."""
    fmt = ExportFormat(fmt)
    progress = progress or (lambda done, total: None)
    if fmt == ExportFormat.CSV:
        result = ExportFile(f"{stem}.csv", "text/csv; charset=utf-8", csv_report.lines_csv(lines))
    elif fmt == ExportFormat.CSV_EXCEL:
        result = ExportFile(
            f"{stem}-excel.csv",
            "text/csv; charset=utf-8",
            csv_report.lines_csv(lines, csv_report.CsvDialect.EXCEL_SV),
        )
    elif fmt == ExportFormat.XLSX:
        result = ExportFile(
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx_report.lines_xlsx(lines),
        )
    elif fmt == ExportFormat.FOCUS:
        result = ExportFile(
            f"{stem}-focus.csv",
            "text/csv; charset=utf-8",
            focus.focus_csv(lines, focus_account()),
        )
    elif fmt == ExportFormat.FOCUS_METADATA:
        result = ExportFile(
            f"{stem}-focus-metadata.json",
            "application/json",
            focus.focus_metadata_json(timezone.now()),
        )
    elif fmt == ExportFormat.SIE:
        result = ExportFile(
            f"{stem}.si",
            "text/plain; charset=IBM437",
            sie.sie_file(
                lines,
                period=period,
                company=sie_company(),
                accounts=sie_accounts(),
                generated_on=timezone.localdate(),
            ),
        )
    else:
        result = _pdfs(lines, stem, progress, status)
    progress(1, 1)
    return result


def _pdfs(
    lines: list[ExportLine], stem: str, progress: Callable[[int, int], None], status: str = ""
) -> ExportFile:
    found = statements(lines)
    now = timezone.localtime()
    if len(found) == 1:
        content = pdf_statement.statement_pdf(
            found[0], issuer=issuer(), generated_at=now, status=status
        )
        return ExportFile(f"{stem}.pdf", "application/pdf", content)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, statement in enumerate(found, start=1):
            archive.writestr(
                f"{stem}-{statement.agency_slug}.pdf",
                pdf_statement.statement_pdf(
                    statement, issuer=issuer(), generated_at=now, status=status
                ),
            )
            progress(done, len(found) + 1)
    return ExportFile(f"{stem}-statements.zip", "application/zip", buffer.getvalue())
