"""Seed the browser tests' own database: the test federation (alpha and beta with their
users), a person record for each agency user, and the small test catalogue.

Run by tests/browser/server.py as `python -m tests.browser.seed` with that database's URL.
"""

from __future__ import annotations

import django
from django.utils import timezone

PHONES = {"alpha": "+46701234567", "beta": "+46707654321"}  # one person per number


def main() -> None:
    django.setup()
    from django.db import transaction
    from django_tenants.utils import schema_context

    from services.people.models import Person
    from tests.conftest import build_federation
    from tests.ordering.catalogue import build_catalogue

    with transaction.atomic():
        fed = build_federation()
        for agency in (fed.alpha, fed.beta):
            with schema_context(agency.schema_name):
                for role in ("admin", "staff"):
                    user = fed.user(f"{agency.slug}-{role}")
                    Person.objects.create(
                        user_id=user.pk,
                        name=f"{role.title()} {agency.slug.title()}",
                        email=f"{role}@{agency.slug}.example",
                        phone=PHONES[agency.slug] if role == "staff" else "",
                    )
        build_catalogue(prefix="b")
        seed_ordering(fed)
        seed_field(fed)
        seed_onboarding(fed)
        seed_costs(fed)
        seed_knowledge()


# --- ordering (tests/browser/test_order_journey.py) -------------------------------------------
def seed_ordering(fed) -> None:
    """A second admin of alpha (approvals need one who did not place the order) and alpha's
    IT budget for this year, so the quote shows the budget left after an order."""

    from django_tenants.utils import schema_context

    from services.ordering.models import Budget
    from services.people.models import Person
    from tenants.models import RoleGrant, User
    from tenants.roles import Role
    from tests.conftest import PASSWORD

    admin2 = User.objects.create_user(username="alpha-admin2", password=PASSWORD)
    RoleGrant.objects.create(user=admin2, role=Role.AGENCY_ADMIN, agency=fed.alpha)
    with schema_context(fed.alpha.schema_name):
        Person.objects.create(user_id=admin2.pk, name="Admin2 Alpha", email="admin2@alpha.example")
        Budget.objects.create(year=timezone.localdate().year, amount_ore=100_000_000)


# --- administration (tests/browser/test_onboarding_journey.py) --------------------------------
def seed_onboarding(fed) -> None:
    """An identity with no role yet (the admin of an agency the test onboards), and a licence
    pool of which alpha holds three seats (its admin assigns one on the people page)."""
    import datetime as dt

    from services.catalogue.models import Supplier
    from services.licences.models import AgencyQuota, LicencePool
    from tenants.models import User
    from tests.conftest import PASSWORD

    User.objects.create_user(username="gamma-admin", password=PASSWORD)
    pool = LicencePool.objects.create(
        product="b Office 365",
        supplier=Supplier.objects.get(name="b Central IT"),
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        renewal_on=dt.date(2028, 10, 1),
        total_seats=20,
        seat_monthly_ore=9_000,
    )
    AgencyQuota.objects.create(pool=pool, agency=fed.alpha, quota_seats=10, held_seats=3)
    AgencyQuota.objects.create(pool=pool, agency=fed.beta, quota_seats=5, held_seats=0)


# --- field support (tests/browser/test_field_journey.py) --------------------------------------
def seed_field(fed) -> None:
    """Alpha in Stockholm county; `tech` a technician from Uppsala covering Stockholm, working
    round the clock (so a visit can be dispatched for later today whenever the test runs); a
    hub in Stockholm open every day 08-18 with two places per 30-minute slot; a laptop held by
    alpha's staff member."""
    import datetime as dt

    from django_tenants.utils import schema_context

    from services.calendars.models import BusinessCalendar, OpeningHours
    from services.devices.models import CustodianKind, Device
    from services.field.models import Technician
    from services.hubs.models import Hub, HubService, StockItem, StockKind
    from services.people.models import Person
    from services.support import actions as support
    from services.support.models import Channel

    fed.alpha.county = "AB"
    fed.alpha.save(update_fields=["county"])
    always = BusinessCalendar.objects.create(name="b round the clock", holiday_country="")
    hours = BusinessCalendar.objects.create(name="b hub hours", holiday_country="")
    for weekday in range(7):
        OpeningHours.objects.create(
            calendar=always, weekday=weekday, opens_at=dt.time(0), closes_at=dt.time(0)
        )
        OpeningHours.objects.create(
            calendar=hours, weekday=weekday, opens_at=dt.time(8), closes_at=dt.time(18)
        )
    Technician.objects.create(
        user=fed.user("tech"), home_county="C", counties=["AB", "C"], calendar=always
    )
    hub = Hub.objects.create(
        name="Servicepunkt Stockholm",
        county="AB",
        street_address="Hamngatan 1",
        postal_code="111 47",
        city="Stockholm",
        calendar=hours,
        slot_minutes=30,
        capacity=2,
        services=[HubService.DROP_OFF, HubService.PICK_UP, HubService.LOANER_SWAP],
    )
    # a loaner in stock (tests/browser/test_loaner_journey.py)
    StockItem.objects.create(
        hub=hub, serial_number="SN-LOAN-B1", model="Latitude 5450", kind=StockKind.LOANER
    )
    with schema_context(fed.alpha.schema_name):
        staff = Person.objects.get(user_id=fed.user("alpha-staff").pk)
        Device.objects.create(
            serial_number="SN-ALPHA-1",
            model="Latitude 5450",
            holder=staff,
            custodian_kind=CustodianKind.PERSON,
            custodian_ref=staff.pk,
        )
    support.open_ticket(
        fed.alpha,
        staff,
        support.NewTicket(subject="Dockningsstationen fungerar inte", impact=3, urgency=2),
        channel=Channel.WEB,
    )


# --- cost split (tests/browser/test_cost_journey.py) ------------------------------------------
def seed_costs(fed) -> None:
    """Two external supplier contracts running through 2026, for the supplier-concentration
    chart of the cost pages (the journey itself creates its period, key and pool)."""
    import datetime as dt

    from services.catalogue.models import Supplier, SupplierContract

    for name, annual in (("b Atea", 600_000_00), ("b Tele2", 200_000_00)):
        SupplierContract.objects.create(
            supplier=Supplier.objects.create(name=name),
            reference=f"{name}-2026",
            value_ore=annual,
            annual_value_ore=annual,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        )


# --- self-help (tests/browser/test_keyboard_journeys.py) --------------------------------------
KNOWLEDGE_TITLE = "Projektorn i konferensrummet visar ingen bild"


def seed_knowledge() -> None:
    """A published shared article, suggested while a problem about a projector is reported."""
    from services.knowledge.actions import ArticleInput, create_shared_article
    from tests.knowledge.browser_seed import service

    create_shared_article(
        None,
        ArticleInput(
            service_id=int(service()),
            title=KNOWLEDGE_TITLE,
            body="Kontrollera att HDMI-kabeln sitter i och välj rätt ingång på projektorn.",
        ),
    )


if __name__ == "__main__":
    main()
