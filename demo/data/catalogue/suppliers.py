"""The demo suppliers: central IT itself and five invented external suppliers (fictitious names,
no organisation numbers)."""

from __future__ import annotations

import datetime as dt

CENTRAL_IT = "Central IT"

# name, internal, contract reference, contract ends on
SUPPLIERS = [
    (CENTRAL_IT, True, "", None),
    ("Nordljus Drift AB", False, "RA-2023-114", dt.date(2028, 3, 31)),
    ("Fjällvik Kommunikation AB", False, "RA-2022-087", dt.date(2027, 6, 30)),
    ("Solbacka Licens & Programvara AB", False, "RA-2024-021", dt.date(2027, 12, 31)),
    ("Granskog Arkivtjänster AB", False, "RA-2025-009", dt.date(2029, 1, 31)),
    ("Kustbris Molntjänster AB", False, "RA-2024-153", dt.date(2027, 9, 30)),
]
