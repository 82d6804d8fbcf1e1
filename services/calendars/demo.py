"""Demo business calendars. Idempotent: a calendar that exists (by name) is left as it is, so
loading twice creates nothing the second time and keeps edits made in the admin."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from services.calendars.models import BusinessCalendar, Eve, EveRule, OpeningHours

OFFICE = "Standard kontorstid"
ROUND_THE_CLOCK = "Dygnet runt"

OFFICE_EVES = {
    Eve.MIDSUMMER_EVE: EveRule.CLOSED,
    Eve.CHRISTMAS_EVE: EveRule.CLOSED,
    Eve.NEW_YEARS_EVE: EveRule.CLOSED,
    Eve.TWELFTH_NIGHT: EveRule.HALF,
    Eve.ALL_SAINTS_EVE: EveRule.HALF,
}


@transaction.atomic
def load_calendars() -> dict[str, BusinessCalendar]:
    """The office-hours calendar (Monday to Friday 08:00-17:00, Swedish public holidays,
    midsummer, Christmas and New Year's eves closed, Twelfth Night and All Saints' eves until
    13:00) and the round-the-clock calendar (every minute, no holidays), by name."""
    office, created = BusinessCalendar.objects.get_or_create(
        name=OFFICE,
        defaults={
            "time_zone": "Europe/Stockholm",
            "holiday_country": "SE",
            "close_on_eves": {str(eve): str(rule) for eve, rule in OFFICE_EVES.items()},
            "half_day_closes_at": dt.time(13, 0),
        },
    )
    if created:
        OpeningHours.objects.bulk_create(
            OpeningHours(
                calendar=office, weekday=day, opens_at=dt.time(8, 0), closes_at=dt.time(17, 0)
            )
            for day in range(5)
        )
    always, created = BusinessCalendar.objects.get_or_create(
        name=ROUND_THE_CLOCK,
        defaults={"time_zone": "Europe/Stockholm", "holiday_country": "", "close_on_eves": {}},
    )
    if created:
        OpeningHours.objects.bulk_create(
            OpeningHours(
                calendar=always, weekday=day, opens_at=dt.time(0, 0), closes_at=dt.time(0, 0)
            )
            for day in range(7)
        )
    return {OFFICE: office, ROUND_THE_CLOCK: always}
