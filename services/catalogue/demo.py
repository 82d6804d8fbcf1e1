"""The demo catalogue: what a Swedish federation's central IT could offer its agencies.

Every supplier except Central IT is invented (the names are fictitious and carry no
organisation number); prices, levels and targets are invented too. Names and descriptions are
in Swedish because they are demo content shown to Swedish users.

`load_catalogue()` is idempotent: rows are found by name (suppliers, agreements, services) or
code (offerings) and only created when missing; existing rows are left as they are. Only
shared (public schema) rows are written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context

from services.catalogue.models import (
    Agreement,
    AgreementKind,
    AgreementTarget,
    Category,
    Lifecycle,
    Offering,
    OfferingPrice,
    OfferingRelation,
    PriceModel,
    RelationKind,
    Service,
    Supplier,
)

CENTRAL_IT = "Central IT"
FIRST_PRICE_DAY = dt.date(2026, 1, 1)
SECOND_PRICE_DAY = dt.date(2026, 7, 1)

# name, internal, contract reference, contract ends on
SUPPLIERS = [
    (CENTRAL_IT, True, "", None),
    ("Nordljus Drift AB", False, "RA-2023-114", dt.date(2028, 3, 31)),
    ("Fjällvik Kommunikation AB", False, "RA-2022-087", dt.date(2027, 6, 30)),
    ("Solbacka Licens & Programvara AB", False, "RA-2024-021", dt.date(2027, 12, 31)),
    ("Granskog Arkivtjänster AB", False, "RA-2025-009", dt.date(2029, 1, 31)),
    ("Kustbris Molntjänster AB", False, "RA-2024-153", dt.date(2027, 9, 30)),
]

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

# name, category, owner, suppliers, description
SERVICES = [
    (
        "E-post och kalender",
        Category.EMAIL,
        "Central IT, Kommunikation och samarbete",
        [CENTRAL_IT],
        "Personliga konton och funktionsbrevlådor med kalender, drivna i central IT:s egen "
        "miljö med skydd mot skräppost och skadlig kod.",
    ),
    (
        "Samarbetsplattform",
        Category.COLLABORATION,
        "Central IT, Kommunikation och samarbete",
        ["Kustbris Molntjänster AB", CENTRAL_IT],
        "Chatt, videomöten, gemensamma dokumentytor och intranät i en Microsoft 365-liknande "
        "plattform, förvaltad av central IT.",
    ),
    (
        "Klientplattform",
        Category.CLIENT_PLATFORM,
        "Central IT, Klient och arbetsplats",
        [CENTRAL_IT],
        "Bärbar dator med förvaltat operativsystem, programvarudistribution, kryptering och "
        "uppdateringar. Standard eller förstärkt skydd.",
    ),
    (
        "Mobila enheter",
        Category.CLIENT_PLATFORM,
        "Central IT, Klient och arbetsplats",
        [CENTRAL_IT],
        "Mobiltelefoner och surfplattor med enhetshantering (MDM) och tjänsteappar.",
    ),
    (
        "Serverdrift",
        Category.INFRASTRUCTURE,
        "Central IT, Infrastruktur",
        ["Nordljus Drift AB"],
        "Virtuella servrar och hanterade databaser i två driftcenter, med övervakning och "
        "patchning.",
    ),
    (
        "Lagring och säkerhetskopiering",
        Category.INFRASTRUCTURE,
        "Central IT, Infrastruktur",
        ["Nordljus Drift AB"],
        "Fillagring, skyddad lagring och säkerhetskopiering med 90 dagars återläsning.",
    ),
    (
        "Nätverk och VPN",
        Category.INFRASTRUCTURE,
        "Central IT, Infrastruktur",
        ["Fjällvik Kommunikation AB"],
        "Kontorsnät med trådlöst nät, anslutning till förbundets nät och fjärråtkomst via VPN.",
    ),
    (
        "Servicedesk",
        Category.SUPPORT,
        "Central IT, Användarstöd",
        [CENTRAL_IT],
        "Gemensam servicedesk på telefon, chatt och e-post för alla myndighetens medarbetare.",
    ),
    (
        "Fältsupport",
        Category.SUPPORT,
        "Central IT, Användarstöd",
        [CENTRAL_IT],
        "Tekniker på plats på myndighetens kontor för felsökning, utbyte och installation.",
    ),
    (
        "Projektledning",
        Category.PROJECT_MANAGEMENT,
        "Central IT, Projekt och förändring",
        [CENTRAL_IT],
        "Projektledare och förstudier för it-projekt, enligt förbundets projektmodell.",
    ),
    (
        "Upphandlingsstöd",
        Category.PROCUREMENT,
        "Central IT, Inköp och avtal",
        [CENTRAL_IT],
        "Stöd vid upphandling och avrop av it-varor och it-tjänster enligt LOU.",
    ),
    (
        "Systemförvaltning",
        Category.SYSTEM_MANAGEMENT,
        "Central IT, Förvaltning",
        [CENTRAL_IT],
        "Förvaltning av myndighetens verksamhetssystem: ändringar, versionsbyten och stöd.",
    ),
    (
        "E-arkiv",
        Category.SYSTEM_MANAGEMENT,
        "Central IT, Informationsförvaltning",
        ["Granskog Arkivtjänster AB"],
        "Långsiktigt bevarande av allmänna handlingar enligt arkivlagen och "
        "Riksarkivets föreskrifter.",
    ),
    (
        "Licenser kontorsprogram",
        Category.LICENCES,
        "Central IT, Inköp och avtal",
        ["Solbacka Licens & Programvara AB"],
        "Kontorspaket med ordbehandling, kalkyl och presentation, licensierat per användare.",
    ),
    (
        "Licenser GIS",
        Category.LICENCES,
        "Central IT, Inköp och avtal",
        ["Solbacka Licens & Programvara AB"],
        "Geografiska informationssystem för visning och analys av kartdata.",
    ),
    (
        "Licenser diarium och ärendehantering",
        Category.LICENCES,
        "Central IT, Inköp och avtal",
        ["Solbacka Licens & Programvara AB"],
        "Diarium och ärendehanteringssystem för registrering av allmänna handlingar.",
    ),
]

PU = PriceModel.PER_UNIT_MONTHLY
FIX = PriceModel.FIXED_MONTHLY
ONE = PriceModel.ONE_OFF
PASS = PriceModel.PASS_THROUGH

OLA_STD = "OLA Standard"
OLA_PLUS = "OLA Förstärkt"
OLA_SUP = "OLA Användarstöd och konsulttjänster"

# fmt: off
# code, service, name, security, availability, price model, unit, min, max, notice days,
# lead days, agreement, prices [(valid from, monthly öre, one-off öre)]
OFFERINGS = [
    # E-post och kalender
    ("epost-konto", "E-post och kalender", "E-postkonto", 3, 3, PU, "användare", 1, 5000, 90, 3,
     OLA_STD, [(FIRST_PRICE_DAY, 4500, 0)]),
    ("epost-konto-skyddad", "E-post och kalender", "E-postkonto skyddad (nivå 4)", 4, 3, PU,
     "användare", 1, 500, 90, 10, OLA_PLUS, [(FIRST_PRICE_DAY, 7900, 0)]),
    ("epost-funktionsbrevlada", "E-post och kalender", "Funktionsbrevlåda", 3, 3, PU,
     "brevlåda", 1, 500, 30, 3, OLA_STD, [(FIRST_PRICE_DAY, 1500, 0)]),
    # Samarbetsplattform
    ("samarbete-bas", "Samarbetsplattform", "Samarbetsyta bas", 2, 2, PU, "användare", 1, 5000,
     90, 5, "SLA Kustbris Samarbete", [(FIRST_PRICE_DAY, 8900, 0)]),
    ("samarbete-skyddad", "Samarbetsplattform", "Samarbetsyta skyddad", 3, 3, PU, "användare",
     1, 5000, 90, 10, "SLA Kustbris Samarbete",
     [(FIRST_PRICE_DAY, 11900, 0), (SECOND_PRICE_DAY, 12900, 0)]),
    ("samarbete-motesrum", "Samarbetsplattform", "Videomötesrum med utrustning", 2, 2, PU, "rum",
     1, 50, 180, 30, OLA_STD, [(FIRST_PRICE_DAY, 45000, 2500000)]),
    # Klientplattform
    ("klient-standard", "Klientplattform", "Klientplattform standard", 2, 2, PU, "enhet", 1,
     3000, 90, 15, OLA_STD, [(FIRST_PRICE_DAY, 29900, 0), (SECOND_PRICE_DAY, 31500, 0)]),
    ("klient-forstarkt", "Klientplattform", "Klientplattform förstärkt", 3, 3, PU, "enhet", 1,
     3000, 90, 20, OLA_PLUS, [(FIRST_PRICE_DAY, 42500, 0)]),
    ("klient-skyddad", "Klientplattform", "Klientplattform skyddad (nivå 4)", 4, 3, PU, "enhet",
     1, 200, 180, 30, OLA_PLUS, [(FIRST_PRICE_DAY, 69000, 0)]),
    ("klient-installation", "Klientplattform", "Installation och utlämning av dator", 1, 1, ONE,
     "enhet", 1, 500, 0, 10, OLA_SUP, [(FIRST_PRICE_DAY, 0, 95000)]),
    # Mobila enheter
    ("mobil-telefon", "Mobila enheter", "Mobiltelefon med MDM", 2, 2, PU, "enhet", 1, 3000, 90,
     10, OLA_STD, [(FIRST_PRICE_DAY, 18900, 0)]),
    ("mobil-surfplatta", "Mobila enheter", "Surfplatta med MDM", 2, 1, PU, "enhet", 1, 1000, 90,
     10, OLA_STD, [(FIRST_PRICE_DAY, 14900, 0)]),
    # Serverdrift
    ("server-virtuell", "Serverdrift", "Virtuell server", 2, 2, PU, "server", 1, 200, 90, 5,
     "SLA Nordljus Drift Standard", [(FIRST_PRICE_DAY, 145000, 0)]),
    ("server-virtuell-hog", "Serverdrift", "Virtuell server hög tillgänglighet", 3, 4, PU,
     "server", 1, 100, 180, 10, "SLA Nordljus Drift Dygnet runt",
     [(FIRST_PRICE_DAY, 390000, 0)]),
    ("server-databas", "Serverdrift", "Hanterad databas", 3, 3, PU, "instans", 1, 50, 180, 10,
     "SLA Nordljus Drift Standard", [(FIRST_PRICE_DAY, 280000, 0)]),
    # Lagring och säkerhetskopiering
    ("lagring-fil", "Lagring och säkerhetskopiering", "Fillagring", 2, 2, PU, "GB", 100,
     100000, 90, 5, "SLA Nordljus Drift Standard", [(FIRST_PRICE_DAY, 85, 0)]),
    ("lagring-backup", "Lagring och säkerhetskopiering", "Säkerhetskopiering", 2, 3, PU, "GB",
     100, 200000, 90, 5, "SLA Nordljus Drift Standard", [(FIRST_PRICE_DAY, 45, 0)]),
    ("lagring-skyddad", "Lagring och säkerhetskopiering", "Skyddad lagring (nivå 4)", 4, 3, PU,
     "GB", 10, 20000, 180, 20, "SLA Nordljus Drift Dygnet runt", [(FIRST_PRICE_DAY, 240, 0)]),
    # Nätverk och VPN
    ("natverk-kontor", "Nätverk och VPN", "Kontorsnät med trådlöst nät", 2, 3, PU, "kontor", 1,
     40, 180, 30, "SLA Fjällvik Nätverk", [(FIRST_PRICE_DAY, 490000, 0)]),
    ("natverk-vpn", "Nätverk och VPN", "Fjärråtkomst (VPN)", 3, 3, PU, "användare", 1, 5000, 90,
     3, "SLA Fjällvik Nätverk", [(FIRST_PRICE_DAY, 2500, 0)]),
    ("natverk-installation", "Nätverk och VPN", "Installation av nätanslutning", 1, 1, ONE,
     "kontor", 1, 10, 0, 45, "SLA Fjällvik Nätverk", [(FIRST_PRICE_DAY, 0, 1850000)]),
    # Servicedesk
    ("servicedesk-kontorstid", "Servicedesk", "Servicedesk kontorstid", 2, 2, PU, "användare",
     1, 5000, 90, 5, OLA_SUP, [(FIRST_PRICE_DAY, 3500, 0)]),
    ("servicedesk-utokad", "Servicedesk", "Servicedesk utökade öppettider", 3, 3, PU,
     "användare", 1, 5000, 90, 10, OLA_PLUS, [(FIRST_PRICE_DAY, 5500, 0)]),
    # Fältsupport
    ("faltsupport-besok", "Fältsupport", "Fältsupport, besök på plats", 1, 1, ONE, "besök", 1,
     50, 0, 3, OLA_SUP, [(FIRST_PRICE_DAY, 0, 120000)]),
    ("faltsupport-abonnemang", "Fältsupport", "Fältsupport abonnemang", 2, 2, FIX, "", 1, 1, 90,
     10, OLA_SUP, [(FIRST_PRICE_DAY, 850000, 0)]),
    # Projektledning
    ("projektledning-timme", "Projektledning", "Projektledare per timme", 1, 1, ONE, "timme", 1,
     2000, 0, 15, OLA_SUP, [(FIRST_PRICE_DAY, 0, 115000)]),
    ("projektledning-forstudie", "Projektledning", "Förstudie, fast pris", 1, 1, ONE, "", 1, 1,
     0, 20, OLA_SUP, [(FIRST_PRICE_DAY, 0, 4500000)]),
    # Upphandlingsstöd
    ("upphandling-timme", "Upphandlingsstöd", "Upphandlingsstöd per timme", 1, 1, ONE, "timme",
     1, 1000, 0, 10, OLA_SUP, [(FIRST_PRICE_DAY, 0, 105000)]),
    ("upphandling-avrop", "Upphandlingsstöd", "Avrop från ramavtal", 1, 1, ONE, "avrop", 1, 20,
     0, 20, OLA_SUP, [(FIRST_PRICE_DAY, 0, 1200000)]),
    # Systemförvaltning
    ("systemforvaltning-bas", "Systemförvaltning", "Systemförvaltning bas", 2, 2, FIX, "", 1, 1,
     180, 30, OLA_STD, [(FIRST_PRICE_DAY, 650000, 0)]),
    ("systemforvaltning-utokad", "Systemförvaltning", "Systemförvaltning utökad", 3, 3, FIX, "",
     1, 1, 180, 30, OLA_PLUS, [(FIRST_PRICE_DAY, 1450000, 0)]),
    # E-arkiv
    ("earkiv-bevarande", "E-arkiv", "E-arkiv, bevarande", 3, 2, PU, "GB", 10, 50000, 365, 30,
     "SLA Granskog E-arkiv", [(FIRST_PRICE_DAY, 350, 0)]),
    ("earkiv-leverans", "E-arkiv", "Arkivleverans enligt faktisk kostnad", 3, 2, PASS, "", 1, 1,
     0, 45, "SLA Granskog E-arkiv", [(FIRST_PRICE_DAY, 0, 0)]),
    # Licenser
    ("licens-kontorspaket", "Licenser kontorsprogram", "Kontorspaket", 3, 3, PU, "användare", 1,
     5000, 90, 2, "SLA Solbacka Licenser",
     [(FIRST_PRICE_DAY, 8900, 0), (SECOND_PRICE_DAY, 9500, 0)]),
    ("licens-kontorspaket-premium", "Licenser kontorsprogram", "Kontorspaket premium", 3, 3, PU,
     "användare", 1, 2000, 90, 2, "SLA Solbacka Licenser", [(FIRST_PRICE_DAY, 16500, 0)]),
    ("licens-gis-visning", "Licenser GIS", "GIS-visare", 2, 1, PU, "användare", 1, 2000, 90, 5,
     "SLA Solbacka Licenser", [(FIRST_PRICE_DAY, 4000, 0)]),
    ("licens-gis-analys", "Licenser GIS", "GIS-analys för skrivbord", 2, 1, PU, "användare", 1,
     300, 365, 10, "SLA Solbacka Licenser", [(FIRST_PRICE_DAY, 42000, 0)]),
    ("licens-diarium", "Licenser diarium och ärendehantering", "Diarium och ärendehantering", 3,
     3, PU, "användare", 1, 5000, 365, 20, "SLA Solbacka Licenser",
     [(FIRST_PRICE_DAY, 7500, 0)]),
]
# fmt: on

# offering, kind, other
RELATIONS = [
    ("licens-kontorspaket", RelationKind.REQUIRES, "epost-konto"),
    ("licens-kontorspaket-premium", RelationKind.REQUIRES, "epost-konto"),
    ("samarbete-bas", RelationKind.REQUIRES, "epost-konto"),
    ("samarbete-skyddad", RelationKind.REQUIRES, "epost-konto"),
    ("earkiv-leverans", RelationKind.REQUIRES, "earkiv-bevarande"),
    ("lagring-backup", RelationKind.REQUIRES, "lagring-fil"),
    ("klient-standard", RelationKind.EXCLUDES, "klient-forstarkt"),
    ("klient-standard", RelationKind.EXCLUDES, "klient-skyddad"),
    ("klient-forstarkt", RelationKind.EXCLUDES, "klient-skyddad"),
    ("licens-kontorspaket", RelationKind.EXCLUDES, "licens-kontorspaket-premium"),
    ("samarbete-bas", RelationKind.EXCLUDES, "samarbete-skyddad"),
]


def load_catalogue() -> dict[str, int]:
    """Create the demo catalogue where missing. Returns the number of rows created per kind."""
    created = dict.fromkeys(
        ("suppliers", "agreements", "targets", "services", "offerings", "prices", "relations"), 0
    )

    def count(kind: str, was_created: bool) -> None:
        created[kind] += int(was_created)

    with schema_context(get_public_schema_name()), transaction.atomic():
        suppliers: dict[str, Supplier] = {}
        for name, internal, reference, ends_on in SUPPLIERS:
            suppliers[name], new = Supplier.objects.get_or_create(
                name=name,
                defaults={
                    "is_internal": internal,
                    "contract_reference": reference,
                    "contract_ends_on": ends_on,
                },
            )
            count("suppliers", new)

        agreements: dict[str, Agreement] = {}
        for name, kind, supplier, percent, hours, targets in AGREEMENTS:
            agreements[name], new = Agreement.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "supplier": suppliers[supplier] if supplier else None,
                    "availability_percent": Decimal(percent),
                    "support_hours": hours,
                },
            )
            count("agreements", new)
            for priority, (response, resolution) in enumerate(targets, start=1):
                _t, new = AgreementTarget.objects.get_or_create(
                    agreement=agreements[name],
                    priority=priority,
                    defaults={"response_minutes": response, "resolution_minutes": resolution},
                )
                count("targets", new)

        services: dict[str, Service] = {}
        for name, category, owner, delivered_by, description in SERVICES:
            services[name], new = Service.objects.get_or_create(
                name=name,
                defaults={
                    "category": category,
                    "owner": owner,
                    "description": description,
                    "lifecycle": Lifecycle.ACTIVE,
                },
            )
            count("services", new)
            if new:
                services[name].suppliers.set([suppliers[s] for s in delivered_by])

        offerings: dict[str, Offering] = {}
        for row in OFFERINGS:
            (code, service, name, security, availability, model, unit) = row[:7]
            (low, high, notice, lead, agreement, prices) = row[7:]
            offerings[code], new = Offering.objects.get_or_create(
                code=code,
                defaults={
                    "service": services[service],
                    "name": name,
                    "security_level": security,
                    "availability_level": availability,
                    "price_model": model,
                    "unit": unit,
                    "min_quantity": low,
                    "max_quantity": high,
                    "notice_days": notice,
                    "lead_time_days": lead,
                    "agreement": agreements[agreement],
                    "lifecycle": Lifecycle.ACTIVE,
                },
            )
            count("offerings", new)
            for valid_from, monthly, one_off in prices:
                _p, new = OfferingPrice.objects.get_or_create(
                    offering=offerings[code],
                    valid_from=valid_from,
                    defaults={"monthly_ore": monthly, "one_off_ore": one_off},
                )
                count("prices", new)

        for code, kind, other in RELATIONS:
            _r, new = OfferingRelation.objects.get_or_create(
                offering=offerings[code], other=offerings[other], kind=kind
            )
            count("relations", new)
    return created
