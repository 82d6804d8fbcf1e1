"""Constructed export lines: three agencies, two pools split with öre rounding, Swedish
characters, and a correction of a closed period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from services.costs.exports.rows import ExportLine, LineAdjustment

MARCH = dt.date(2026, 3, 1)
AGENCIES = {
    "alpha": (1, "Länsstyrelsen Alfa", "2021998014"),
    "beta": (2, "Länsstyrelsen Beta", "2021998022"),
    "vastra": (3, "Länsstyrelsen i Västra Götalands län", "2021000000"),
}
# Expected statement totals in öre (originals and the correction, summed by hand).
TOTALS = {"alpha": 4_976_581, "beta": 8_311_185, "vastra": 1_699_890}
GRAND_TOTAL = 14_987_656


def line(agency: str, **over) -> ExportLine:
    agency_id, name, org = AGENCIES[agency]
    values = {
        "period": MARCH,
        "agency_id": agency_id,
        "agency_slug": agency,
        "agency_name": name,
        "agency_org_number": org,
        "pool_id": 7,
        "pool_name": "Microsoft 365 – licenser",
        "pool_category": "licence",
        "source_reference": "INV-2026-118",
        "service_name": "Microsoft 365",
        "service_category": "collaboration",
        "supplier_name": 'Atea "Sverige" AB',
        "key_name": "Antal användare",
        "key_version_id": 3,
        "key_method": "driver",
        "driver_kind": "headcount",
        "driver_value": Decimal("100"),
        "share": Decimal("0.332225913621"),
        "amount_ore": 0,
    }
    values.update(over)
    return ExportLine(**values)


def lines() -> list[ExportLine]:
    licence = {}  # pool 7: 100 000,01 kr by headcount 100 / 200 / 1 (largest remainder)
    support = {  # pool 9: 50 000,00 kr evenly over three
        "pool_id": 9,
        "pool_name": "IT-support löner",
        "pool_category": "support_staff",
        "source_reference": "LÖN-2026-03",
        "service_name": "",
        "service_category": "",
        "supplier_name": "",
        "key_name": "Lika delar",
        "key_version_id": 4,
        "key_method": "even",
        "driver_kind": "even",
        "driver_value": Decimal("1"),
        "share": Decimal("0.333333333333"),
    }
    return [
        line("alpha", amount_ore=3_322_259, line_id=101, **licence),
        line(
            "beta",
            amount_ore=6_644_518,
            driver_value=Decimal("200"),
            share=Decimal("0.664451827243"),
            line_id=102,
        ),
        line(
            "vastra",
            amount_ore=33_224,
            driver_value=Decimal("1"),
            share=Decimal("0.003322259136"),
            line_id=103,
        ),
        line("alpha", amount_ore=1_666_667, line_id=104, **support),
        line("beta", amount_ore=1_666_667, line_id=105, **support),
        line("vastra", amount_ore=1_666_666, line_id=106, **support),
        line(
            "alpha",
            pool_id=12,
            pool_name="Rättelse Microsoft 365 februari",
            pool_category="correction",
            source_reference="INV-2026-077",
            key_name="",
            key_version_id=None,
            key_method="correction",
            driver_kind="correction",
            driver_value=Decimal("1"),
            share=Decimal("1"),
            amount_ore=-12_345,
            corrects="line 17 (2026-02, Microsoft 365 – licenser)",
            corrects_period=MARCH.replace(month=2),
            line_id=107,
        ),
    ]


ADJUSTED_AT = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)


def third_of_100_kr(**over) -> ExportLine:
    """Alpha's line of a 100 kr pool split in three by headcount (290 employees), adjusted by
    finance from 33,34 kr down to 16,67 kr."""
    fields = {
        "pool_id": 30,
        "pool_name": "Servrar",
        "pool_category": "infrastructure",
        "key_method": "fixed",
        "driver_kind": "headcount",
        "driver_value": Decimal("290.0000"),
        "share": Decimal("0.333333"),
        "amount_ore": 16_67,
        "computed_ore": 33_34,
        "pool_amount_ore": 100_00,
        "adjustments": (LineAdjustment(-16_67, "Flyttade ut i mars", "Fia Finans", ADJUSTED_AT),),
    }
    return line("alpha", **{**fields, **over})
