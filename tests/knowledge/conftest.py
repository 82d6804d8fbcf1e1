"""A small knowledge base: two services, shared articles by central IT, and one own article
in each of the agencies alpha and beta (written through the real actions)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django_tenants.utils import schema_context

from services.catalogue.models import Service
from services.knowledge import actions
from services.knowledge.agency.models import AgencyArticle
from services.knowledge.models import Article
from services.people.models import Person


@dataclass
class KB:
    printing: Service
    vpn: Service
    printer: Article  # shared, about printers (title and body)
    vpn_title: Article  # shared, "VPN" in the title
    vpn_body: Article  # shared, "VPN" in the body only
    draft: Article  # shared, unpublished
    alpha_own: AgencyArticle  # alpha's own, about its printers
    beta_own: AgencyArticle  # beta's own, about its printers


def shared(fed, service, title, body, published=True) -> Article:
    data = actions.ArticleInput(service_id=service.pk, title=title, body=body, published=published)
    return actions.create_shared_article(fed.user("cat"), data)


def own(fed, agency, service, title, body, published=True) -> AgencyArticle:
    data = actions.ArticleInput(service_id=service.pk, title=title, body=body, published=published)
    return actions.create_agency_article(agency, fed.user(f"{agency.slug}-admin"), data)


@pytest.fixture
def kb(federation, db) -> KB:
    printing = Service.objects.create(name="kb Utskrift", category="client_platform", owner="x")
    vpn = Service.objects.create(name="kb Nätverk", category="infrastructure", owner="x")
    return KB(
        printing=printing,
        vpn=vpn,
        printer=shared(
            federation,
            printing,
            "Skrivaren skriver inte ut",
            "Om skrivarna på kontoret står still: kontrollera papper och toner, starta om.",
        ),
        vpn_title=shared(
            federation,
            vpn,
            "VPN kopplar ner",
            "Anslutningen bryts efter några minuter: byt nätverk och logga in igen.",
        ),
        vpn_body=shared(
            federation,
            vpn,
            "Arbeta hemifrån",
            "Du behöver fjärråtkomst. Starta klienten för VPN innan du öppnar filservern.",
        ),
        draft=shared(
            federation, printing, "Ny skrivare i receptionen", "Utkast om skrivare.", False
        ),
        alpha_own=own(
            federation,
            federation.alpha,
            printing,
            "Alfas skrivare på plan 3",
            "Skrivaren på plan 3 heter ALFA-P3. Ring vaktmästaren om papper.",
        ),
        beta_own=own(
            federation,
            federation.beta,
            printing,
            "Betas hemliga skrivarrutin",
            "Skrivarna i Beta-huset nås via kod 1234.",
        ),
    )


@pytest.fixture
def people(federation, db):
    """A person record for alpha's staff member (the chat's requester)."""
    user = federation.user("alpha-staff")
    with schema_context(federation.alpha.schema_name):
        return Person.objects.create(
            user_id=user.pk, name="Staff of alpha", email="staff@alpha.example"
        )
