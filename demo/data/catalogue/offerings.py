"""The demo offerings with their invented prices, levels and agreements, and the relations
between them (requirements and exclusions)."""

from __future__ import annotations

import datetime as dt

from services.catalogue.models import PriceModel, RelationKind

FIRST_PRICE_DAY = dt.date(2026, 1, 1)
SECOND_PRICE_DAY = dt.date(2026, 7, 1)

PU = PriceModel.PER_UNIT_MONTHLY
FIX = PriceModel.FIXED_MONTHLY
ONE = PriceModel.ONE_OFF
PASS = PriceModel.PASS_THROUGH

OLA_STD = "OLA Standard"
OLA_PLUS = "OLA Förstärkt"
OLA_SUP = "OLA Användarstöd och konsulttjänster"

# Levels are what an offering meets; an agency may order it when they are at least its own
# required levels (services/catalogue/selectors.py). Every agency requires 2 or more, so work
# done by central IT's own cleared staff (installation, field visits, project management,
# procurement support), which holds no information of its own, meets every level (4, 4), and
# no offering is rated below availability 2 (docs/decisions/2026-12-07-order-commitment.md).
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
    ("klient-installation", "Klientplattform", "Installation och utlämning av dator", 4, 4, ONE,
     "enhet", 1, 500, 0, 10, OLA_SUP, [(FIRST_PRICE_DAY, 0, 95000)]),
    # Mobila enheter
    ("mobil-telefon", "Mobila enheter", "Mobiltelefon med MDM", 2, 2, PU, "enhet", 1, 3000, 90,
     10, OLA_STD, [(FIRST_PRICE_DAY, 18900, 0)]),
    ("mobil-surfplatta", "Mobila enheter", "Surfplatta med MDM", 2, 2, PU, "enhet", 1, 1000, 90,
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
    ("natverk-installation", "Nätverk och VPN", "Installation av nätanslutning", 4, 4, ONE,
     "kontor", 1, 10, 0, 45, "SLA Fjällvik Nätverk", [(FIRST_PRICE_DAY, 0, 1850000)]),
    # Servicedesk
    ("servicedesk-kontorstid", "Servicedesk", "Servicedesk kontorstid", 2, 2, PU, "användare",
     1, 5000, 90, 5, OLA_SUP, [(FIRST_PRICE_DAY, 3500, 0)]),
    ("servicedesk-utokad", "Servicedesk", "Servicedesk utökade öppettider", 3, 3, PU,
     "användare", 1, 5000, 90, 10, OLA_PLUS, [(FIRST_PRICE_DAY, 5500, 0)]),
    # Fältsupport
    ("faltsupport-besok", "Fältsupport", "Fältsupport, besök på plats", 4, 4, ONE, "besök", 1,
     50, 0, 3, OLA_SUP, [(FIRST_PRICE_DAY, 0, 120000)]),
    ("faltsupport-abonnemang", "Fältsupport", "Fältsupport abonnemang", 2, 2, FIX, "", 1, 1, 90,
     10, OLA_SUP, [(FIRST_PRICE_DAY, 850000, 0)]),
    # Projektledning
    ("projektledning-timme", "Projektledning", "Projektledare per timme", 4, 4, ONE, "timme", 1,
     2000, 0, 15, OLA_SUP, [(FIRST_PRICE_DAY, 0, 115000)]),
    ("projektledning-forstudie", "Projektledning", "Förstudie, fast pris", 4, 4, ONE, "", 1, 1,
     0, 20, OLA_SUP, [(FIRST_PRICE_DAY, 0, 4500000)]),
    # Upphandlingsstöd
    ("upphandling-timme", "Upphandlingsstöd", "Upphandlingsstöd per timme", 4, 4, ONE, "timme",
     1, 1000, 0, 10, OLA_SUP, [(FIRST_PRICE_DAY, 0, 105000)]),
    ("upphandling-avrop", "Upphandlingsstöd", "Avrop från ramavtal", 4, 4, ONE, "avrop", 1, 20,
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
    ("licens-gis-visning", "Licenser GIS", "GIS-visare", 2, 2, PU, "användare", 1, 2000, 90, 5,
     "SLA Solbacka Licenser", [(FIRST_PRICE_DAY, 4000, 0)]),
    ("licens-gis-analys", "Licenser GIS", "GIS-analys för skrivbord", 2, 2, PU, "användare", 1,
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
