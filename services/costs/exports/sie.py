"""The split of a period as an SIE 4 file (type 4, transactions): one voucher per agency.

SIE is the file format Swedish accounting systems import and export. This writes an import
file ("SIE 4I", extension .si) that central IT's finance system books:

    #FLAGGA 0                     not yet imported
    #PROGRAM "Samnav" "<version>"
    #FORMAT PC8                   IBM code page 437 (the format's only character set)
    #GEN 20261122                 generated on
    #SIETYP 4
    #ORGNR 202100-0000            central IT's organisation
    #FNAMN "..."
    #RAR 0 20260101 20261231      the financial year of the period
    #DIM 8 "Kund"                 the agency, as a customer object (SIE dimension 8)
    #OBJEKT 8 "2021998014" "Länsstyrelsen Alfa"
    #KONTO 1510 "Kundfordringar"  every account used
    #VER "K" "" 20260331 "Kostnadsfördelning 2026-03 Länsstyrelsen Alfa"
    {
    #TRANS 1510 {8 "2021998014"} 1234.50 20260331 "Kostnadsfördelning 2026-03"
    #TRANS 5420 {} -1000.00 20260331 "Microsoft 365 / INV-2026-118 (pool 7)"
    #TRANS 7010 {} -234.50 20260331 "IT-support löner / LÖN-2026-03 (pool 9)"
    }

Each voucher debits the agency's receivable with its total and credits, per pool, the pool's
cost account (chosen by the pool's category, `SieAccounts`) with what the agency was charged
for that pool; so every voucher balances to zero and each credit row names its pool and its
invoice or salary reference. Corrections get rows of their own that name what they correct.
The voucher number is left empty: the receiving system numbers vouchers on import.

Amounts: kronor with a decimal point and two decimals. Dates: YYYYMMDD. Strings are quoted,
with `\\` and `"` escaped by a backslash; characters outside code page 437 are written
without their accent when they have one (š -> s), else as "?". Line ends are CRLF.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from services.costs.errors import CostErrorCode as Code
from services.costs.exports.rows import (
    ExportLine,
    fold_text,
    format_kronor,
    month_end,
    statements,
)
from services.validation import field_error

ENCODING = "cp437"

# BAS accounts (the Swedish standard chart of accounts) used unless the caller says otherwise.
DEFAULT_RECEIVABLE_ACCOUNT = 1510
DEFAULT_COST_ACCOUNT = 6540  # IT-tjänster
# Pool categories (services.costs.models.PoolCategory) -> BAS cost account credited.
DEFAULT_CATEGORY_ACCOUNTS = {
    "support_staff": 7010,  # Löner till tjänstemän
    "project_management": 7010,
    "procurement": 7010,
    "infrastructure": 6540,  # IT-tjänster
    "supplier_invoice": 6540,
    "licence": 5420,  # Programvaror
    "project": 6550,  # Konsultarvoden
    "correction": DEFAULT_COST_ACCOUNT,
}
DEFAULT_ACCOUNT_NAMES = {
    1510: "Kundfordringar",
    5420: "Programvaror",
    6540: "IT-tjänster",
    6550: "Konsultarvoden",
    7010: "Löner till tjänstemän",
}


@dataclass(frozen=True)
class SieAccounts:
    """Which accounts the vouchers use: the receivable debited per agency, and the cost
    account credited per pool category (`category_accounts`, else `default_cost_account`)."""

    receivable_account: int = DEFAULT_RECEIVABLE_ACCOUNT
    default_cost_account: int = DEFAULT_COST_ACCOUNT
    category_accounts: dict[str, int] = field(
        default_factory=lambda: dict(DEFAULT_CATEGORY_ACCOUNTS)
    )
    account_names: dict[int, str] = field(default_factory=lambda: dict(DEFAULT_ACCOUNT_NAMES))

    def cost_account(self, category: str) -> int:
        return self.category_accounts.get(category, self.default_cost_account)

    def name(self, account: int) -> str:
        return self.account_names.get(account, f"Konto {account}")


@dataclass(frozen=True)
class SieCompany:
    """Central IT: whose books the file is for."""

    name: str = "Samnav"
    org_number: str = ""  # NNNNNN-NNNN; required: the file is refused without it
    program: str = "Samnav"
    program_version: str = "1.0"
    voucher_series: str = "K"
    fiscal_year_start_month: int = 1


def _fold(text: str) -> str:
    return fold_text(text, ENCODING)


def quote(text: str) -> str:
    """A SIE string field: quoted, backslash and quote escaped, no control characters."""
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in _fold(text))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sie_date(day: dt.date) -> str:
    return f"{day:%Y%m%d}"


def sie_amount(ore: int) -> str:
    return format_kronor(ore)


def _org_number(text: str) -> str:
    digits = "".join(c for c in text if c.isdigit())
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else text


def require_org_number(company: SieCompany) -> None:
    """SIE 4 names whose books the file is for (#ORGNR): no file without central IT's number."""
    if not company.org_number.strip():
        raise field_error(
            "orgNumber",
            _("Central IT's agency row has no organisation number: set it before exporting SIE."),
            Code.REQUIRED,
        )


def fiscal_year(day: dt.date, start_month: int = 1) -> tuple[dt.date, dt.date]:
    year = day.year if day.month >= start_month else day.year - 1
    start = dt.date(year, start_month, 1)
    end = dt.date(year + 1, start_month, 1) - dt.timedelta(days=1)
    return start, end


@dataclass(frozen=True)
class VoucherRow:
    account: int
    amount_ore: int
    text: str
    objects: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Voucher:
    date: dt.date
    text: str
    rows: tuple[VoucherRow, ...]


def vouchers(lines: Iterable[ExportLine], accounts: SieAccounts) -> list[Voucher]:
    """One balanced voucher per agency (ordered by agency slug)."""
    out = []
    for statement in statements(lines):
        period = statement.period
        date = month_end(period)
        text = f"Kostnadsfördelning {period:%Y-%m} {statement.agency_name}"
        rows = [
            VoucherRow(
                account=accounts.receivable_account,
                amount_ore=statement.total_ore,
                text=f"Kostnadsfördelning {period:%Y-%m}",
                objects=((8, statement.agency_org_number or statement.agency_slug),),
            )
        ]
        for pool in statement.pools:
            account = accounts.cost_account(pool.pool_category)
            originals = sum(x.amount_ore for x in pool.lines if not x.is_correction)
            if any(not x.is_correction for x in pool.lines):
                rows.append(
                    VoucherRow(
                        account=account,
                        amount_ore=-originals,
                        text=f"{pool.pool_name} / {pool.source_reference} (pool {pool.pool_id})",
                    )
                )
            for line in pool.lines:
                if line.is_correction:
                    rows.append(
                        VoucherRow(
                            account=account,
                            amount_ore=-line.amount_ore,
                            text=f"Rättelse {pool.pool_name} / {pool.source_reference} "
                            f"(pool {pool.pool_id}), avser {line.corrects}",
                        )
                    )
        out.append(Voucher(date=date, text=text, rows=tuple(rows)))
    return out


def sie_text(
    lines: Iterable[ExportLine],
    *,
    period: dt.date,
    company: SieCompany | None = None,
    accounts: SieAccounts | None = None,
    generated_on: dt.date | None = None,
) -> str:
    """The file as text (before encoding): see the module docstring for its shape."""
    company = company or SieCompany()
    accounts = accounts or SieAccounts()
    require_org_number(company)
    lines = list(lines)
    generated_on = generated_on or timezone.localdate()
    made = vouchers(lines, accounts)
    used = sorted({row.account for voucher in made for row in voucher.rows})
    year_start, year_end = fiscal_year(period, company.fiscal_year_start_month)

    out = [
        "#FLAGGA 0",
        f"#PROGRAM {quote(company.program)} {quote(company.program_version)}",
        "#FORMAT PC8",
        f"#GEN {sie_date(generated_on)}",
        "#SIETYP 4",
    ]
    out.append(f"#ORGNR {_org_number(company.org_number)}")
    out += [
        f"#FNAMN {quote(company.name)}",
        f"#RAR 0 {sie_date(year_start)} {sie_date(year_end)}",
        f"#DIM 8 {quote('Kund')}",
    ]
    agencies: dict[str, str] = {}
    for line in lines:
        agencies.setdefault(line.agency_org_number or line.agency_slug, line.agency_name)
    for number in sorted(agencies):
        out.append(f"#OBJEKT 8 {quote(number)} {quote(agencies[number])}")
    for account in used:
        out.append(f"#KONTO {account} {quote(accounts.name(account))}")
    for voucher in made:
        out.append(
            f"#VER {quote(company.voucher_series)} {quote('')} {sie_date(voucher.date)} "
            f"{quote(voucher.text)}"
        )
        out.append("{")
        for row in voucher.rows:
            objects = " ".join(f"{dim} {quote(obj)}" for dim, obj in row.objects)
            out.append(
                f"#TRANS {row.account} {{{objects}}} {sie_amount(row.amount_ore)} "
                f"{sie_date(voucher.date)} {quote(row.text)}"
            )
        out.append("}")
    return "\r\n".join(out) + "\r\n"


def sie_file(
    lines: Iterable[ExportLine],
    *,
    period: dt.date,
    company: SieCompany | None = None,
    accounts: SieAccounts | None = None,
    generated_on: dt.date | None = None,
) -> bytes:
    """The file's bytes, in code page 437 (#FORMAT PC8)."""
    text = sie_text(
        lines, period=period, company=company, accounts=accounts, generated_on=generated_on
    )
    return text.encode(ENCODING)
