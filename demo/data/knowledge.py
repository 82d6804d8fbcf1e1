"""Demo knowledge base: Swedish self-help articles for the demo catalogue's services
(demo/data/catalogue/, found by name), English ones for the common problems, a few agencies'
own articles, and two months of suggestion outcomes so the self-help report shows real rates.

Written through the real actions (the system as actor; outcomes by a member of the agency),
then outcomes are moved back in time. Deterministic per agency. Idempotent: an article is
found by service and title; an agency that has outcomes gets no more.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from django_tenants.utils import tenant_context

from services.catalogue.models import Service
from services.knowledge import actions, outcomes
from services.knowledge.agency.models import AgencyArticle
from services.knowledge.models import (
    Article,
    ArticleKind,
    Language,
    Outcome,
    Rating,
    SuggestionChannel,
    SuggestionOutcome,
)
from tenants.models import Agency, RoleGrant

# service name -> [(title, body)]
SHARED = {
    "E-post och kalender": [
        (
            "Outlook startar inte",
            'Om Outlook inte startar eller fastnar på "Läser in profil": stäng Outlook helt, '
            "starta om datorn och prova igen. Hjälper det inte, starta Outlook i felsäkert läge "
            "(håll ned Ctrl när du startar) och stäng av tillägg under Arkiv > Alternativ > "
            "Tillägg.",
        ),
        (
            "Dela din kalender med en kollega",
            "Högerklicka på kalendern i Outlook, välj Dela > Kalenderbehörigheter och lägg till "
            "kollegan. Välj om hen ska se tider, detaljer eller kunna redigera.",
        ),
        (
            "Få tillgång till en funktionsbrevlåda",
            "Funktionsbrevlådor beställs av myndighetens administratör i Samnav. När "
            "behörigheten är tilldelad dyker brevlådan upp i Outlook inom en timme; starta om "
            "Outlook om den inte syns.",
        ),
    ],
    "Samarbetsplattform": [
        (
            "Inget ljud i videomötet",
            "Kontrollera att rätt högtalare och mikrofon är valda under Enhetsinställningar i "
            "mötet. Koppla ur och in headsetet, och stäng andra program som använder "
            "mikrofonen.",
        ),
        (
            "Bjuda in en extern deltagare till en samarbetsyta",
            "Externa gäster bjuds in av ytans ägare under Medlemmar > Lägg till gäst. Skyddade "
            "samarbetsytor tillåter inte externa gäster.",
        ),
    ],
    "Klientplattform": [
        (
            "Skrivaren skriver inte ut",
            "Kontrollera att skrivaren har papper och toner och att den inte visar ett fel. "
            "Ta bort fastnade utskrifter i utskriftskön och starta om datorn. Skrivarna på "
            "kontoret installeras automatiskt när du är ansluten till kontorsnätet eller VPN.",
        ),
        (
            "Datorn är långsam efter uppdatering",
            "Efter en större uppdatering arbetar datorn i bakgrunden en stund. Låt den vara "
            "påslagen och ansluten till ström i en timme, starta sedan om den.",
        ),
        (
            "Lösenordet har gått ut",
            "Byt lösenord med Ctrl+Alt+Delete > Byt lösenord medan du är på kontoret eller "
            "ansluten via VPN. Har du glömt det kan du återställa det med e-legitimation på "
            "inloggningssidan.",
        ),
    ],
    "Mobila enheter": [
        (
            "Mobilen synkar inte kalendern",
            "Öppna appen för företagsportalen och kontrollera att telefonen är godkänd. Ta "
            "sedan bort och lägg till jobbkontot i e-postappen.",
        ),
        (
            "Ny mobiltelefon: flytta appar och konto",
            "Registrera den nya telefonen i företagsportalen innan du återställer den gamla. "
            "Tjänsteapparna installeras automatiskt efter registreringen.",
        ),
    ],
    "Nätverk och VPN": [
        (
            "VPN kopplar ner",
            "Om VPN-anslutningen bryts efter några minuter: byt till ett annat nätverk eller "
            "mobilt hotspot, kontrollera att datorns klocka stämmer och anslut på nytt.",
        ),
        (
            "Trådlöst nät på kontoret",
            "Anslut till nätet Samnav-Kontor med ditt vanliga konto. Gästnätet är för besökare "
            "och når inte myndighetens system.",
        ),
    ],
    "Lagring och säkerhetskopiering": [
        (
            "Återställa en raderad fil",
            "Högerklicka på mappen på filservern, välj Egenskaper > Tidigare versioner och "
            "välj en version från före raderingen. Äldre filer (upp till 90 dagar) återläses "
            "av servicedesken.",
        ),
        (
            "Filservern är långsam",
            "Stora filer öppnas snabbare om du kopierar dem till datorn först. Är det långsamt "
            "för alla på kontoret, kontakta servicedesken.",
        ),
    ],
    "Licenser GIS": [
        (
            "GIS-visaren laddar inte kartlager",
            "Töm webbläsarens cache och logga in igen. Kartlager med skyddad information kräver "
            "att du är ansluten via VPN.",
        ),
    ],
    "Licenser diarium och ärendehantering": [
        (
            "Behörighet till diariet",
            "Behörighet till diariet beställs av din chef via myndighetens administratör. "
            "Ange vilken registratorsroll du behöver.",
        ),
    ],
    "Servicedesk": [
        (
            "Så når du servicedesken",
            "Servicedesken nås via portalen, chatten, e-post och telefon vardagar 07–18. "
            "Beskriv problemet, vad du har provat och eventuella felkoder.",
        ),
    ],
    "E-arkiv": [
        (
            "Leverera handlingar till e-arkivet",
            "Leveranser görs enligt myndighetens informationshanteringsplan. Kontakta "
            "arkivarien innan första leveransen så att leveransmallen sätts upp.",
        ),
    ],
}

# The same help in English, for the common problems (service name -> [(title, body)]).
ENGLISH = {
    "E-post och kalender": [
        (
            "Outlook does not start",
            'If Outlook does not start or hangs at "Loading profile": close Outlook completely, '
            "restart the computer and try again. If that does not help, start Outlook in safe "
            "mode (hold down Ctrl while it starts) and turn off add-ins under File > Options > "
            "Add-ins.",
        ),
    ],
    "Samarbetsplattform": [
        (
            "No sound in the video meeting",
            "Check that the right speaker and microphone are chosen under Device settings in "
            "the meeting. Unplug the headset and plug it in again, and close other programs "
            "that use the microphone.",
        ),
    ],
    "Klientplattform": [
        (
            "The printer does not print",
            "Check that the printer has paper and toner and shows no error. Remove stuck jobs "
            "from the print queue and restart the computer. The office printers are installed "
            "automatically when you are connected to the office network or VPN.",
        ),
        (
            "The computer is slow after an update",
            "After a large update the computer works in the background for a while. Leave it "
            "switched on and plugged in for an hour, then restart it.",
        ),
        (
            "Your password has expired",
            "Change your password with Ctrl+Alt+Delete > Change a password while you are at the "
            "office or connected through VPN. If you have forgotten it, reset it with your "
            "e-ID on the sign-in page; then you can log in again.",
        ),
    ],
    "Nätverk och VPN": [
        (
            "VPN disconnects",
            "If the VPN connection drops after a few minutes: switch to another network or a "
            "mobile hotspot, check that the computer's clock is right, and connect again.",
        ),
    ],
}

# agency slug -> [(service name, title, body)]
AGENCY_OWN = {
    "stockholm": [
        (
            "Klientplattform",
            "Skrivare i huset på Hantverkargatan",
            "Plan 2–5 har var sin skrivare vid hissarna. Utskrifter släpps med passerkortet.",
        ),
        (
            "Samarbetsplattform",
            "Boka konferensrum med videoutrustning",
            "Rummen Mälaren och Saltsjön bokas i kalendern som resurs; ljudet startas med "
            "knappen på bordet.",
        ),
    ],
    "jonkoping": [
        (
            "Klientplattform",
            "Skrivaren vid trappan på plan 3",
            "Skrivaren vid trappan på plan 3 tar A3. Utskrifter släpps med passerkortet; "
            "toner finns i förrådet bredvid.",
        ),
    ],
    "skane": [
        (
            "Nätverk och VPN",
            "VPN från fältkontoren",
            "På fältkontoren i Kristianstad och Ystad används mobilt bredband: anslut VPN "
            "först när routern lyser grönt.",
        ),
    ],
    "norrbotten": [
        (
            "Mobila enheter",
            "Satellittelefon vid fältarbete",
            "Satellittelefonerna lånas ut av receptionen i Luleå. Ladda dem dagen före.",
        ),
        (
            "Klientplattform",
            "Skrivaren i receptionen i Luleå",
            "Receptionens skrivare skriver bara ut på A4. Stora kartor skrivs ut i plottern "
            "på plan 1.",
        ),
    ],
}

OUTCOME_AGENCIES = 6  # the first agencies get two months of outcomes, and ratings
SESSIONS_PER_AGENCY = 24
RATINGS_PER_AGENCY = 6  # articles its members rated helpful or not


def load_knowledge(agencies: list[Agency]) -> int:
    """Create what is missing; returns the number of rows written (0 on a second run)."""
    services = {s.name: s for s in Service.objects.filter(name__in=_service_names())}
    written = 0
    for language, shared in ((Language.SWEDISH, SHARED), (Language.ENGLISH, ENGLISH)):
        for name, articles in shared.items():
            service = services.get(name)
            if service is None:
                continue
            for title, body in articles:
                if not Article.objects.filter(service=service, title=title).exists():
                    data = actions.ArticleInput(
                        service_id=service.pk, title=title, body=body, language=language
                    )
                    actions.create_shared_article(None, data)
                    written += 1
    for agency in agencies:
        for name, title, body in AGENCY_OWN.get(agency.slug, []):
            service = services.get(name)
            if service is None:
                continue
            with tenant_context(agency):
                exists = AgencyArticle.objects.filter(service=service, title=title).exists()
            if not exists:
                data = actions.ArticleInput(service_id=service.pk, title=title, body=body)
                actions.create_agency_article(agency, None, data)
                written += 1
    for agency in agencies[:OUTCOME_AGENCIES]:
        written += _outcomes(agency)
        written += _ratings(agency)
    return written


def _service_names() -> set[str]:
    return set(SHARED) | {name for rows in AGENCY_OWN.values() for name, _t, _b in rows}


def _outcomes(agency: Agency) -> int:
    if SuggestionOutcome.objects.filter(agency=agency).exists():
        return 0
    grant = RoleGrant.objects.filter(agency=agency).select_related("user").order_by("pk").first()
    shared = list(Article.objects.filter(published=True, language=Language.SWEDISH).order_by("pk"))
    if grant is None or not shared:
        return 0
    rng = random.Random(f"knowledge-{agency.slug}")  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    for _ in range(SESSIONS_PER_AGENCY):
        article = rng.choice(shared)
        fate = rng.random()
        outcome = (
            Outcome.RESOLVED
            if fate < 0.45
            else Outcome.TICKET_OPENED
            if fate < 0.8
            else Outcome.NOT_HELPFUL
        )
        row = outcomes.record_outcome(
            agency,
            grant.user,
            outcome=outcome,
            channel=rng.choice(
                [SuggestionChannel.WEB, SuggestionChannel.WEB, SuggestionChannel.CHAT]
            ),
            article_kind=ArticleKind.SHARED,
            article_id=article.pk,
        )
        ago = dt.timedelta(days=rng.randint(0, 55), hours=rng.randint(0, 8))
        SuggestionOutcome.objects.filter(pk=row.pk).update(at=now - ago)
    return SESSIONS_PER_AGENCY


def _ratings(agency: Agency) -> int:
    """Its members' verdicts on a few shared articles, so the editors' list shows tallies."""
    if Rating.objects.filter(agency=agency).exists():
        return 0
    grants = RoleGrant.objects.filter(agency=agency).select_related("user").order_by("pk")
    shared = list(Article.objects.filter(published=True, language=Language.SWEDISH).order_by("pk"))
    rng = random.Random(f"ratings-{agency.slug}")  # noqa: S311 - demo data, not secrets
    written = 0
    for grant in grants[:3]:
        for article in rng.sample(shared, min(RATINGS_PER_AGENCY, len(shared))):
            actions.rate_article(
                agency,
                grant.user,
                article_kind=ArticleKind.SHARED,
                article_id=article.pk,
                helpful=rng.random() < 0.7,
            )
            written += 1
    return written
