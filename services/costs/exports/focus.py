"""The allocation lines of a period as a FOCUS 1.2 Cost and Usage dataset (CSV).

FOCUS is the FinOps Open Cost and Usage Specification (FinOps Foundation). Column names,
meanings, allowed values and formats are taken from FOCUS 1.2 and its Requirements Model
(model 1.2.0.1, the machine-readable form of the specification's normative rules):

- every column that model marks Mandatory (present in every FOCUS 1.2 dataset) is written;
- SubAccountId/SubAccountName, which 1.2 requires when the provider has a sub-account
  construct: the agency is the sub-account (SubAccountId = its organisation number);
- ChargeFrequency (Recommended);
- our own columns with the `x_` prefix the specification reserves for custom columns, which
  trace each row to its pool, source reference, key version and driver.

Mapping (central IT is the provider and the invoice issuer; the federation is the billing
account; each agency a sub-account):
- BilledCost = EffectiveCost = ListCost = ContractedCost = the line's amount (no discounts,
  no list prices, no commitments in a cost split), Decimal with two places, SEK.
- ChargeCategory "Usage"; ChargeClass "Correction" on correction lines, else null.
- ChargeFrequency "Recurring" (a monthly split).
- BillingPeriod and ChargePeriod: the month, [first day, first day of next month), written
  as UTC midnights in the specification's date/time format `YYYY-MM-DDTHH:mm:ssZ`.
- PricingQuantity = the agency's driver value, PricingUnit = the driver's unit (e.g.
  "Users"): never null on Usage rows, as 1.2 requires.
- ServiceName = the catalogue service (the pool name when the pool has none);
  ServiceCategory = FOCUS's own allowed value for our catalogue category (SERVICE_CATEGORY).
- PublisherName = the supplier, or central IT for its own costs (salaries).

Issue 20 (2026-12-07):
- InvoiceId = the statement's reference (`KF-2026-11-UPPSALA`): the statement is what the
  agency is charged by. ServiceSubcategory: FOCUS's allowed value under the row's
  ServiceCategory (`SERVICE_SUBCATEGORY`, each with that one parent).
- A correction is billed in its own month (BillingPeriod) and charged for the month it
  corrects (ChargePeriod).
- The FinOps Foundation's focus-validator applies its StringHandling rule (ASCII only) to
  ServiceName, ChargeDescription, SubAccountName, PublisherName and the other columns in
  `ASCII_COLUMNS`: we write those folded to ASCII (Länsstyrelsen -> Lansstyrelsen) and keep
  the Swedish text in `x_ServiceNameSv`, `x_ChargeDescriptionSv`, `x_SubAccountNameSv` and
  `x_PublisherNameSv`.
- The metadata 1.2 requires (FocusVersion, DataGenerator, SchemaId, CreationDate, with the
  column definitions) is a JSON document of its own (`focus_metadata`), downloaded as the
  `focus-metadata` format beside the CSV.

Numbers use the specification's Numeric Format: plain decimal, point separator, no thousands
separator, no currency sign. Null is an empty field. UTF-8 without byte-order mark, comma-
separated, CRLF line ends.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from services.costs.exports.formulas import as_text
from services.costs.exports.rows import (
    ExportLine,
    fold_text,
    format_decimal,
    format_kronor,
    next_month,
    sorted_lines,
)

FOCUS_VERSION = "1.2"

# FOCUS 1.2 columns whose presence is Mandatory (Requirements Model 1.2.0.1, CostAndUsage-D-*-M),
# in the specification's (alphabetical) order.
FOCUS_MANDATORY_COLUMNS = (
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
)
# Conditional columns whose condition holds for us (InvoiceId: every line is on a statement,
# our invoice), the recommended ChargeFrequency and the optional ServiceSubcategory.
FOCUS_CONDITIONAL_COLUMNS = ("InvoiceId", "SubAccountId", "SubAccountName")
FOCUS_RECOMMENDED_COLUMNS = ("ChargeFrequency", "ServiceSubcategory")
# The validator checks StringHandling (ASCII only) on these columns; we write them folded to
# ASCII and keep the Swedish text in the `x_…Sv` columns below.
ASCII_COLUMNS = (
    "BillingAccountId",
    "BillingAccountName",
    "ChargeDescription",
    "InvoiceId",
    "InvoiceIssuerName",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "ServiceName",
    "SubAccountId",
    "SubAccountName",
)
CUSTOM_COLUMNS = (
    "x_ServiceNameSv",
    "x_ChargeDescriptionSv",
    "x_SubAccountNameSv",
    "x_PublisherNameSv",
    "x_AgencySlug",
    "x_PoolId",
    "x_PoolName",
    "x_PoolCategory",
    "x_SourceReference",
    "x_ProjectName",
    "x_AllocationKey",
    "x_KeyVersionId",
    "x_KeyMethod",
    "x_DriverKind",
    "x_DriverValue",
    "x_Share",
    "x_Corrects",
    "x_LineId",
    "x_Adjustments",
)
HEADER = (
    FOCUS_MANDATORY_COLUMNS + FOCUS_CONDITIONAL_COLUMNS + FOCUS_RECOMMENDED_COLUMNS + CUSTOM_COLUMNS
)

# FOCUS 1.2 allowed values (Requirements Model, ServiceCategory-C-003-M).
FOCUS_SERVICE_CATEGORIES = frozenset(
    {
        "AI and Machine Learning",
        "Analytics",
        "Business Applications",
        "Compute",
        "Databases",
        "Developer Tools",
        "Multicloud",
        "Identity",
        "Integration",
        "Internet of Things",
        "Management and Governance",
        "Media",
        "Migration",
        "Mobile",
        "Networking",
        "Security",
        "Storage",
        "Web",
        "Other",
    }
)
FOCUS_CHARGE_CATEGORIES = frozenset({"Usage", "Purchase", "Tax", "Credit", "Adjustment"})
FOCUS_CHARGE_FREQUENCIES = frozenset({"One-Time", "Recurring", "Usage-Based"})

# Our catalogue categories (services.catalogue.models.Category) -> FOCUS ServiceCategory.
SERVICE_CATEGORY = {
    "email": "Business Applications",
    "collaboration": "Business Applications",
    "client_platform": "Compute",  # end-user computing is a Compute subcategory in FOCUS
    "infrastructure": "Compute",
    "support": "Management and Governance",
    "project_management": "Management and Governance",
    "procurement": "Business Applications",
    "system_management": "Management and Governance",
    "licences": "Business Applications",
}
DEFAULT_SERVICE_CATEGORY = "Other"

# Our catalogue categories -> FOCUS 1.2 ServiceSubcategory (each an allowed value whose one
# parent is the ServiceCategory above; ServiceSubcategory-C-003-M and -C-004-M).
SERVICE_SUBCATEGORY = {
    "email": "Productivity and Collaboration",
    "collaboration": "Productivity and Collaboration",
    "client_platform": "End User Computing",
    "infrastructure": "Virtual Machines",
    "support": "Support",
    "project_management": "Other (Management and Governance)",
    "procurement": "Other (Business Applications)",
    "system_management": "Endpoint Management",
    "licences": "Other (Business Applications)",
}
DEFAULT_SERVICE_SUBCATEGORY = "Other (Other)"

# Driver kinds (services.costs.models.DriverKind, or the key's method when it has no driver)
# -> FOCUS PricingUnit (plural count units); anything else: "Units".
PRICING_UNIT = {
    "headcount": "Users",
    "licence_seats": "Licenses",
    "subscriptions": "Subscriptions",
    "tickets": "Tickets",
    "visits": "Visits",
    "visit_minutes": "Minutes",
    "project_shares": "Shares",
    "even": "Agencies",
    "direct": "Subscriptions",
}
DEFAULT_PRICING_UNIT = "Units"


@dataclass(frozen=True)
class FocusAccount:
    """Who bills: central IT (provider, invoice issuer) for the federation (billing account)."""

    provider_name: str = "Samnav"
    billing_account_id: str = "samnav"
    billing_account_name: str = "Samnav federation"
    currency: str = "SEK"


def focus_datetime(day: dt.date) -> str:
    """A date's UTC midnight in FOCUS Date/Time Format (ISO 8601, UTC, with Z)."""
    return f"{day:%Y-%m-%d}T00:00:00Z"


def service_category(category: str) -> str:
    return SERVICE_CATEGORY.get(category, DEFAULT_SERVICE_CATEGORY)


def service_subcategory(category: str) -> str:
    return SERVICE_SUBCATEGORY.get(category, DEFAULT_SERVICE_SUBCATEGORY)


def ascii_text(value: str) -> str:
    """Text folded to ASCII (å -> a, ö -> o, – -> -; anything else "?"), as the validator's
    StringHandling rule wants."""
    return fold_text(value, "ascii")


def pricing_unit(driver_kind: str) -> str:
    return PRICING_UNIT.get(driver_kind.lower(), DEFAULT_PRICING_UNIT)


def _description(line: ExportLine) -> str:
    text = (
        f"{line.pool_name} ({line.source_reference}) split by {line.key_label}: "
        f"{format_decimal(line.driver_value)} {line.driver_kind}, "
        f"share {format_decimal(line.share)}"
    )
    if line.corrects:
        text += f"; corrects {line.corrects}"
    return text


def row(line: ExportLine, account: FocusAccount) -> dict[str, str]:
    start = line.period.replace(day=1)
    end = next_month(start)
    # a correction is billed in its own month but charged for the month it corrects
    charge_start = (line.corrects_period or start).replace(day=1)
    charge_end = next_month(charge_start)
    amount = format_kronor(line.amount_ore)
    description = _description(line)
    publisher = line.supplier_name or account.provider_name
    out = {
        "BilledCost": amount,
        "BillingAccountId": account.billing_account_id,
        "BillingAccountName": as_text(account.billing_account_name),
        "BillingCurrency": account.currency,
        "BillingPeriodEnd": focus_datetime(end),
        "BillingPeriodStart": focus_datetime(start),
        "ChargeCategory": "Usage",
        "ChargeClass": "Correction" if line.is_correction else "",
        "ChargeDescription": description,
        "ChargePeriodEnd": focus_datetime(charge_end),
        "ChargePeriodStart": focus_datetime(charge_start),
        "ContractedCost": amount,
        "EffectiveCost": amount,
        "InvoiceId": line.statement_reference,
        "InvoiceIssuerName": account.provider_name,
        "ListCost": amount,
        "PricingQuantity": format_decimal(line.driver_value),
        "PricingUnit": pricing_unit(line.driver_kind),
        "ProviderName": account.provider_name,
        "PublisherName": publisher,
        "ServiceCategory": service_category(line.service_category),
        "ServiceName": line.service_name or line.pool_name,
        "SubAccountId": line.agency_org_number or line.agency_slug,
        "SubAccountName": line.agency_name,
        "ChargeFrequency": "Recurring",
        "ServiceSubcategory": service_subcategory(line.service_category),
        "x_ServiceNameSv": as_text(line.service_name or line.pool_name),
        "x_ChargeDescriptionSv": as_text(description),
        "x_SubAccountNameSv": as_text(line.agency_name),
        "x_PublisherNameSv": as_text(publisher),
        "x_AgencySlug": line.agency_slug,
        "x_PoolId": str(line.pool_id),
        "x_PoolName": as_text(line.pool_name),
        "x_PoolCategory": as_text(line.pool_category),
        "x_SourceReference": as_text(line.source_reference),
        "x_ProjectName": as_text(line.project_name),
        "x_AllocationKey": as_text(line.key_name),
        "x_KeyVersionId": "" if line.key_version_id is None else str(line.key_version_id),
        "x_KeyMethod": line.key_method,
        "x_DriverKind": line.driver_kind,
        "x_DriverValue": format_decimal(line.driver_value),
        "x_Share": format_decimal(line.share),
        "x_Corrects": as_text(line.corrects),
        "x_Adjustments": as_text(line.adjustment_text),
        "x_LineId": "" if line.line_id is None else str(line.line_id),
    }
    for column in ASCII_COLUMNS:
        out[column] = as_text(ascii_text(out[column]))
    return out


def write_focus(
    lines: Iterable[ExportLine], out: TextIO, account: FocusAccount | None = None
) -> None:
    account = account or FocusAccount()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    for line in sorted_lines(lines):
        writer.writerow(row(line, account))


def focus_csv(lines: Iterable[ExportLine], account: FocusAccount | None = None) -> bytes:
    buffer = io.StringIO()
    write_focus(lines, buffer, account)
    return buffer.getvalue().encode("utf-8")


# --- metadata (FOCUS 1.2: FocusVersion, DataGenerator, SchemaId, CreationDate) ---------------

DATA_GENERATOR = "Samnav"
_SCHEMA_NAMESPACE = uuid.UUID("6f1f3c1e-5d8e-4a55-9a43-2b9d0c6c2f10")  # ours, fixed
_DECIMAL_COLUMNS = frozenset(
    {"BilledCost", "ContractedCost", "EffectiveCost", "ListCost", "PricingQuantity"}
)
_DATETIME_COLUMNS = frozenset(
    {"BillingPeriodEnd", "BillingPeriodStart", "ChargePeriodEnd", "ChargePeriodStart"}
)


def schema_id() -> str:
    """A UUID of the column set: the same for every file with these columns, a new one when
    they change (as the specification asks of SchemaId)."""
    return str(uuid.uuid5(_SCHEMA_NAMESPACE, f"{FOCUS_VERSION}:" + ",".join(HEADER)))


def _data_type(column: str) -> str:
    if column in _DECIMAL_COLUMNS:
        return "DECIMAL"
    if column in _DATETIME_COLUMNS:
        return "DATETIME"
    return "STRING"


def focus_metadata(created_at: dt.datetime) -> dict:
    """The metadata object that goes with a FOCUS file (JSON)."""
    return {
        "FocusVersion": FOCUS_VERSION,
        "DataGenerator": {"DataGenerator": DATA_GENERATOR},
        "SchemaId": schema_id(),
        "CreationDate": created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ColumnDefinition": [
            {"ColumnName": column, "DataType": _data_type(column), "StringEncoding": "UTF-8"}
            if _data_type(column) == "STRING"
            else {"ColumnName": column, "DataType": _data_type(column)}
            for column in HEADER
        ],
    }


def focus_metadata_json(created_at: dt.datetime) -> bytes:
    return json.dumps(focus_metadata(created_at), indent=2).encode("utf-8")
