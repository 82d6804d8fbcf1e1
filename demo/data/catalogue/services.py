"""The demo services, in Swedish: they are demo content shown to Swedish users."""

from __future__ import annotations

from demo.data.catalogue.suppliers import CENTRAL_IT
from services.catalogue.models import Category

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
