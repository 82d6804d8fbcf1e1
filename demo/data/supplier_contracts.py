"""Demo contracts for the demo suppliers (demo/data/catalogue/). Invented figures.

Nordljus Drift is deliberately the largest external supplier (42.26 % of the annual
external spend in 2026-2027), so the concentration report shows a flag in the demo.

`load_supplier_contracts()` is idempotent: a contract is found by (supplier, reference) and
only created when missing. Run it after `load_catalogue()`; suppliers or services missing
from the catalogue are skipped.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from services.catalogue.actions import create_supplier_contract
from services.catalogue.models import Service, Supplier, SupplierContract

SEK = 100  # öre

# supplier, reference, starts on, ends on, total value (SEK), named annual value (SEK or None),
# services delivered, notes
CONTRACTS = [
    (
        "Nordljus Drift AB",
        "RA-2019-044",
        dt.date(2019, 4, 1),
        dt.date(2023, 3, 31),
        70_000_000,
        None,
        ["Serverdrift"],
        "Tidigare driftavtal, ersatt av RA-2023-114.",
    ),
    (
        "Nordljus Drift AB",
        "RA-2023-114",
        dt.date(2023, 4, 1),
        dt.date(2028, 3, 31),
        120_000_000,
        24_000_000,
        ["Serverdrift", "Lagring och säkerhetskopiering"],
        "Ramavtal drift, fem år med fast årsavgift.",
    ),
    (
        "Fjällvik Kommunikation AB",
        "RA-2022-087",
        dt.date(2022, 7, 1),
        dt.date(2027, 6, 30),
        38_500_000,
        None,
        ["Nätverk och VPN"],
        "Nät och fjärråtkomst.",
    ),
    (
        "Solbacka Licens & Programvara AB",
        "RA-2024-021",
        dt.date(2024, 1, 1),
        dt.date(2027, 12, 31),
        52_000_000,
        None,
        ["Licenser kontorsprogram", "Licenser GIS", "Licenser diarium och ärendehantering"],
        "Licensåterförsäljare, avrop per licens.",
    ),
    (
        "Granskog Arkivtjänster AB",
        "RA-2025-009",
        dt.date(2025, 2, 1),
        dt.date(2029, 1, 31),
        12_400_000,
        None,
        ["E-arkiv"],
        "E-arkiv som tjänst.",
    ),
    (
        "Kustbris Molntjänster AB",
        "RA-2024-153",
        dt.date(2024, 10, 1),
        dt.date(2027, 9, 30),
        27_000_000,
        9_000_000,
        ["Samarbetsplattform"],
        "Samarbetsplattform i molnet.",
    ),
]


def load_supplier_contracts() -> int:
    """Create the demo contracts that are missing; returns how many were created."""
    suppliers = {s.name: s for s in Supplier.objects.all()}
    services = {s.name: s for s in Service.objects.all()}
    existing = set(SupplierContract.objects.values_list("supplier__name", "reference"))
    created = 0
    for name, reference, starts_on, ends_on, value, annual, service_names, notes in CONTRACTS:
        supplier = suppliers.get(name)
        if supplier is None or (name, reference) in existing:
            continue
        with transaction.atomic():
            create_supplier_contract(
                None,
                supplier=supplier,
                reference=reference,
                value_ore=value * SEK,
                annual_value_ore=None if annual is None else annual * SEK,
                starts_on=starts_on,
                ends_on=ends_on,
                services=[services[s].pk for s in service_names if s in services],
                notes=notes,
            )
        created += 1
    return created
