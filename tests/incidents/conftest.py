"""Fixtures for major incidents: four agencies (alpha and beta of the session, gamma and delta
onboarded inside the test's transaction, so rolled back with it, schemas included), an admin
with an address in each, and a service to report problems about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from services.agencies import actions as tenant_actions
from services.catalogue.models import Category, Service
from services.crossindex.actions import upsert
from services.crossindex.models import IndexEntry, IndexKind
from services.incidents.correlation import correlate
from services.people.models import Person
from services.support import actions as support
from tenants.models import Agency, RoleGrant, User
from tenants.roles import Role
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@dataclass
class Four:
    alpha: Agency
    beta: Agency
    gamma: Agency
    delta: Agency
    admins: dict  # slug -> User
    people: dict  # slug -> Person (the admin, in the agency's schema)

    @property
    def all(self) -> list[Agency]:
        return [self.alpha, self.beta, self.gamma, self.delta]


def address(agency: Agency) -> str:
    return f"admin@{agency.slug}.example"


def onboard_agency(slug: str, org_number: str) -> Agency:
    return tenant_actions.onboard_agency(
        None,
        tenant_actions.AgencyInput(
            name=f"Länsstyrelsen {slug.title()}", slug=slug, org_number=org_number
        ),
    )


@pytest.fixture
def four(federation, db) -> Four:
    gamma = onboard_agency("gamma", "2021998030")
    delta = onboard_agency("delta", "2021998048")
    admins, people = {}, {}
    for agency in (federation.alpha, federation.beta, gamma, delta):
        user = User.objects.filter(username=f"{agency.slug}-admin").first()
        if user is None:
            user = User.objects.create_user(username=f"{agency.slug}-admin", password=PASSWORD)
            RoleGrant.objects.create(user=user, role=Role.AGENCY_ADMIN, agency=agency)
        admins[agency.slug] = user
        with schema_context(agency.schema_name):
            people[agency.slug] = Person.objects.create(
                user_id=user.pk, name=f"Admin {agency.slug}", email=address(agency)
            )
    return Four(federation.alpha, federation.beta, gamma, delta, admins, people)


@pytest.fixture
def service(db) -> Service:
    return Service.objects.create(
        name="Fjärråtkomst test", category=Category.INFRASTRUCTURE, owner="Nät"
    )


@pytest.fixture
def report(four):
    """Open a real ticket about `service` in `agency` (its admin asks), created `at`
    (moved in the index, where correlation reads it)."""

    def _report(agency: Agency, service: Service, at: dt.datetime | None = None) -> int:
        ticket = support.open_ticket(
            agency,
            four.people[agency.slug],
            support.NewTicket(subject="VPN kopplar ner", service_id=service.pk),
            channel="web",
        )
        if at is not None:
            IndexEntry.objects.filter(
                agency=agency, kind=IndexKind.TICKET, local_id=ticket.pk
            ).update(created_at=at)
        return ticket.pk

    return _report


def subscribe(agency: Agency, service: Service, local_id: int = 1, state: str = "active"):
    """The index row fulfilment writes for a subscription of `agency` to `service`."""
    upsert(
        IndexKind.SUBSCRIPTION,
        local_id,
        agency=agency,
        state=state,
        service_id=service.pk,
        amount_ore=10_000,
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """One correlation run (at `now`), returning its summary and the mails it sent."""

    def _run(now: dt.datetime | None = None):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = correlate(now or timezone.now())
        return result, mail.outbox[before:]

    return _run


def mails(sent) -> list[tuple[tuple[str, ...], str]]:
    return sorted((tuple(m.to), m.subject) for m in sent)
