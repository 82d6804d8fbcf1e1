"""Demo technicians: `tekniker-<county code>` in a few counties, each covering the counties
whose seats lie within 250 km of their own, on office hours; and a profile for the demo user
`tekniker` (Stockholm). Idempotent: existing profiles and accounts are kept as they are."""

from __future__ import annotations

from django.db import transaction

from demo.data.calendars import OFFICE, load_calendars
from services.field.models import Technician
from tenants.counties import COUNTIES, distance_km
from tenants.models import RoleGrant, User
from tenants.roles import Role

HOMES = ("AB", "O", "M", "E", "W", "Y", "BD")
REACH_KM = 250


def nearby(code: str, km: float = REACH_KM) -> list[str]:
    return sorted(c for c in COUNTIES if distance_km(code, c) <= km)


def _profile(user: User, home: str, calendar) -> Technician:
    RoleGrant.objects.get_or_create(user=user, role=Role.TECHNICIAN, agency=None)
    technician, _created = Technician.objects.get_or_create(
        user=user,
        defaults={"home_county": home, "counties": nearby(home), "calendar": calendar},
    )
    return technician


@transaction.atomic
def load_technicians(password: str) -> list[Technician]:
    """Run after the central demo accounts exist (the `tekniker` account gets a profile when
    it is there). Returns the demo technicians, `tekniker` first."""
    office = load_calendars()[OFFICE]
    out = []
    existing = User.objects.filter(username="tekniker").first()
    if existing is not None:
        out.append(_profile(existing, "AB", office))
    for home in HOMES:
        username = f"tekniker-{home.lower()}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(password)
            user.save()
        out.append(_profile(user, home, office))
    return out
