"""The demo agreements: central IT's OLAs and the external suppliers' SLAs, with invented
availability, support hours and targets."""

from __future__ import annotations

from services.catalogue.models import AgreementKind

# Targets per priority 1-4 as (first response, resolution) in business minutes.
STANDARD_TARGETS = [(30, 240), (60, 480), (240, 1440), (480, 4800)]
REINFORCED_TARGETS = [(15, 120), (30, 240), (60, 960), (240, 2400)]
SUPPORT_TARGETS = [(30, 480), (60, 960), (240, 2400), (480, 4800)]
ROUND_THE_CLOCK_TARGETS = [(15, 60), (30, 240), (120, 960), (480, 2400)]

# name, kind, supplier, availability %, support hours, targets
AGREEMENTS = [
    ("OLA Standard", AgreementKind.OLA, None, "99.5", "Vardagar 07–18", STANDARD_TARGETS),
    ("OLA Förstärkt", AgreementKind.OLA, None, "99.9", "Alla dagar 06–22", REINFORCED_TARGETS),
    (
        "OLA Användarstöd och konsulttjänster",
        AgreementKind.OLA,
        None,
        "99.0",
        "Vardagar 08–17",
        SUPPORT_TARGETS,
    ),
    (
        "SLA Nordljus Drift Standard",
        AgreementKind.SLA,
        "Nordljus Drift AB",
        "99.7",
        "Vardagar 07–19",
        STANDARD_TARGETS,
    ),
    (
        "SLA Nordljus Drift Dygnet runt",
        AgreementKind.SLA,
        "Nordljus Drift AB",
        "99.95",
        "Dygnet runt, alla dagar",
        ROUND_THE_CLOCK_TARGETS,
    ),
    (
        "SLA Fjällvik Nätverk",
        AgreementKind.SLA,
        "Fjällvik Kommunikation AB",
        "99.9",
        "Dygnet runt, alla dagar",
        ROUND_THE_CLOCK_TARGETS,
    ),
    (
        "SLA Solbacka Licenser",
        AgreementKind.SLA,
        "Solbacka Licens & Programvara AB",
        "99.0",
        "Vardagar 08–16",
        SUPPORT_TARGETS,
    ),
    (
        "SLA Granskog E-arkiv",
        AgreementKind.SLA,
        "Granskog Arkivtjänster AB",
        "99.5",
        "Vardagar 08–17",
        STANDARD_TARGETS,
    ),
    (
        "SLA Kustbris Samarbete",
        AgreementKind.SLA,
        "Kustbris Molntjänster AB",
        "99.9",
        "Dygnet runt, alla dagar",
        REINFORCED_TARGETS,
    ),
]
