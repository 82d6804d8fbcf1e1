"""The demo federation: central IT and the 21 county administrative boards.

Organisation numbers here are generated demo values with valid checksums, NOT the boards'
real numbers; headcounts and levels are invented. Every demo agency is marked `is_demo`.
Demo accounts exist only under settings with SAMNAV_DEMO_ENABLED (never in production).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_tenants.utils import schema_context
from stdnum import luhn

from demo.data.bookings import load_agency_bookings
from demo.data.calendars import calendar_for_hours, load_calendars
from demo.data.canned_answers import load_canned_answers
from demo.data.catalogue import load_catalogue
from demo.data.devices import load_agency_devices
from demo.data.hubs import load_hubs
from demo.data.incidents import load_major_incidents
from demo.data.knowledge import load_knowledge
from demo.data.licences import load_licences
from demo.data.ordering import load_agency_history
from demo.data.outbox import load_outbox
from demo.data.replacements import load_agency_proposals
from demo.data.supplier_contracts import load_supplier_contracts
from demo.data.support import load_agency_tickets
from demo.data.technicians import load_technicians
from demo.data.visits import load_agency_visits
from services.agencies import actions
from services.catalogue.models import Agreement
from services.costs.demo import load_costs
from services.people.models import Person
from services.projects.demo import load_projects
from services.support.escalation import escalate
from tenants.bootstrap import ensure_federation
from tenants.models import Agency, RoleGrant, User
from tenants.roles import Role

# slug, name as the board calls itself, invented headcount, security level, availability level
COUNTY_BOARDS = [
    ("stockholm", "Länsstyrelsen i Stockholms län", 620, 3, 3),
    ("uppsala", "Länsstyrelsen i Uppsala län", 290, 2, 2),
    ("sodermanland", "Länsstyrelsen i Södermanlands län", 230, 2, 2),
    ("ostergotland", "Länsstyrelsen Östergötland", 300, 2, 3),
    ("jonkoping", "Länsstyrelsen i Jönköpings län", 260, 2, 2),
    ("kronoberg", "Länsstyrelsen i Kronobergs län", 190, 2, 2),
    ("kalmar", "Länsstyrelsen i Kalmar län", 230, 2, 2),
    ("gotland", "Länsstyrelsen i Gotlands län", 140, 2, 2),
    ("blekinge", "Länsstyrelsen Blekinge län", 170, 2, 2),
    ("skane", "Länsstyrelsen Skåne", 560, 3, 3),
    ("halland", "Länsstyrelsen Halland", 210, 2, 2),
    ("vastra-gotaland", "Länsstyrelsen Västra Götalands län", 690, 3, 3),
    ("varmland", "Länsstyrelsen Värmland", 240, 2, 2),
    ("orebro", "Länsstyrelsen Örebro län", 250, 2, 2),
    ("vastmanland", "Länsstyrelsen Västmanlands län", 200, 2, 2),
    ("dalarna", "Länsstyrelsen Dalarna", 260, 2, 2),
    ("gavleborg", "Länsstyrelsen Gävleborg", 240, 2, 2),
    ("vasternorrland", "Länsstyrelsen Västernorrland", 230, 2, 2),
    ("jamtland", "Länsstyrelsen Jämtlands län", 190, 2, 2),
    ("vasterbotten", "Länsstyrelsen Västerbotten", 270, 2, 3),
    ("norrbotten", "Länsstyrelsen Norrbotten", 280, 3, 2),
]

# Each board's county (tenants/counties.py): where "the office" is for field visits.
COUNTY_OF = {
    "stockholm": "AB",
    "uppsala": "C",
    "sodermanland": "D",
    "ostergotland": "E",
    "jonkoping": "F",
    "kronoberg": "G",
    "kalmar": "H",
    "gotland": "I",
    "blekinge": "K",
    "skane": "M",
    "halland": "N",
    "vastra-gotaland": "O",
    "varmland": "S",
    "orebro": "T",
    "vastmanland": "U",
    "dalarna": "W",
    "gavleborg": "X",
    "vasternorrland": "Y",
    "jamtland": "Z",
    "vasterbotten": "AC",
    "norrbotten": "BD",
}

CENTRAL_ACCOUNTS = [
    ("admin", Role.PLATFORM_ADMIN),
    ("katalog", Role.CATALOGUE_MANAGER),
    ("servicedesk", Role.SERVICE_DESK_AGENT),
    ("tekniker", Role.TECHNICIAN),
    ("ekonomi", Role.FINANCE),
    ("servicepunkt", Role.HUB_STAFF),
]


def demo_org_number(index: int) -> str:
    """A checksum-valid demo organisation number: 20219 9NNN C (not a real board's number)."""
    body = f"202199{index:03d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def _account(username: str, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.set_password(password)
        user.save()
    return user


def _grant(user: User, role: str, agency: Agency | None = None) -> None:
    RoleGrant.objects.get_or_create(user=user, role=role, agency=agency)


def load_demo(stdout=None, slugs: list[str] | None = None) -> list[Agency]:
    """Create what is missing of the demo federation; existing rows are kept as they are.
    `slugs` limits it to those county boards (the accessibility walk's quicker federation)."""
    if not settings.SAMNAV_DEMO_ENABLED:
        raise ImproperlyConfigured("Demo data is disabled under these settings.")
    password = settings.SAMNAV_DEMO_PASSWORD
    central, _template = ensure_federation()
    if not central.org_number:  # SIE 4 exports name the payer by it
        actions.set_central_org_number(None, demo_org_number(0))
    for username, role in CENTRAL_ACCOUNTS:
        user = _account(username, password)
        user.is_staff = role == Role.PLATFORM_ADMIN or user.is_staff
        user.is_superuser = role == Role.PLATFORM_ADMIN or user.is_superuser
        user.save(update_fields=["is_staff", "is_superuser"])
        _grant(user, role)
    agencies = []
    for index, (slug, name, headcount, sec, avail) in enumerate(COUNTY_BOARDS, start=1):
        if slugs is not None and slug not in slugs:
            continue
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            agency = actions.onboard_agency(
                None,
                actions.AgencyInput(
                    name=name,
                    slug=slug,
                    org_number=demo_org_number(index),
                    headcount=headcount,
                    security_level=sec,
                    availability_level=avail,
                    is_demo=True,
                ),
            )
            if stdout:
                stdout.write(f"  onboarded {slug}")
        if not agency.county:
            agency.county = COUNTY_OF[slug]
            agency.save(update_fields=["county"])
        _demo_people(agency, password)
        agencies.append(agency)
    calendars = load_calendars()
    hubs = load_hubs(calendars)
    load_technicians(password)
    load_catalogue()
    load_supplier_contracts()
    _calendars_for_agreements(calendars)
    load_licences(agencies)
    load_knowledge(agencies)
    load_projects(agencies)
    desk = User.objects.get(username="servicedesk")
    tech = User.objects.get(username="tekniker")
    for agency in agencies:
        admin = User.objects.get(username=f"{agency.slug}-admin")
        if load_agency_history(agency, admin, desk) and stdout:
            stdout.write(f"  ordering history for {agency.slug}")
        if load_agency_tickets(agency, desk) and stdout:
            stdout.write(f"  tickets for {agency.slug}")
        load_agency_visits(agency, desk)
        load_agency_devices(agency, desk, hubs, technician=tech)
        load_agency_bookings(agency, admin, desk, hubs)
        load_agency_proposals(agency)
    load_major_incidents(agencies, desk)
    load_canned_answers(desk)
    load_costs(agencies)
    load_outbox(agencies)
    escalate()  # the demo's overdue tickets show as warned and breached
    return agencies


def _calendars_for_agreements(calendars) -> None:
    """Each agreement's clock counts the hours it promises (calendars.demo.calendar_for_hours)."""
    for agreement in Agreement.objects.filter(calendar__isnull=True):
        agreement.calendar = calendar_for_hours(agreement.support_hours, calendars)
        agreement.save(update_fields=["calendar"])


def demo_phone(slug: str, suffix: str) -> str:
    """A number from the series Sweden keeps for fiction (070-174 06 05 to 070-174 06 99): two
    per county board, so that an SMS finds one person."""
    slugs = [s for s, *_ in COUNTY_BOARDS]
    index = slugs.index(slug) if slug in slugs else len(slugs)
    return f"+467017406{5 + 2 * index + (suffix == 'staff'):02d}"


@transaction.atomic
def _demo_people(agency: Agency, password: str) -> None:
    for suffix, role, title in (
        ("admin", Role.AGENCY_ADMIN, "Administratör"),
        ("staff", Role.AGENCY_STAFF, "Handläggare"),
    ):
        user = _account(f"{agency.slug}-{suffix}", password)
        _grant(user, role, agency)
        with schema_context(agency.schema_name):
            Person.objects.get_or_create(
                user_id=user.pk,
                defaults={
                    "name": f"{title} ({agency.slug})",
                    "email": f"{agency.slug}-{suffix}@demo.samnav.invalid",
                    "phone": demo_phone(agency.slug, suffix),
                    "city": agency.name.split()[-2] if len(agency.name.split()) > 2 else "",
                },
            )
