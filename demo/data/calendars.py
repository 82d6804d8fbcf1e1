"""Demo business calendars. Idempotent: a calendar that exists (by name) is left as it is, so
loading twice creates nothing the second time and keeps edits made in the admin."""

from __future__ import annotations

import datetime as dt
import re

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


# "Vardagar 07–18" (Monday to Friday, Swedish holidays and eves as the office) or "Alla dagar
# 06–22" (every day of the year), hours given whole.
_HOURS = re.compile(r"(vardagar|alla dagar)\s+(\d{1,2})\s*[–-]\s*(\d{1,2})", re.IGNORECASE)


@transaction.atomic
def calendar_for_hours(support_hours: str, calendars: dict[str, BusinessCalendar]):
    """The calendar whose clock counts the hours an agreement promises (its `support_hours`
    text), so that agencies are shown what the clocks count: round the clock, office hours
    (Monday to Friday 08-17), or a calendar of those hours made once, named by them. Text it
    cannot read gets office hours."""
    text = " ".join(support_hours.lower().split())
    if "dygnet runt" in text or "24/7" in text:
        return calendars[ROUND_THE_CLOCK]
    found = _HOURS.search(text)
    if found is None:
        return calendars[OFFICE]
    every_day = found[1] == "alla dagar"
    opens, closes = int(found[2]), int(found[3])
    if not every_day and (opens, closes) == (8, 17):
        return calendars[OFFICE]
    if not (0 <= opens < closes <= 23):
        return calendars[OFFICE]
    name = f"{'Alla dagar' if every_day else 'Vardagar'} {opens:02d}–{closes:02d}"
    calendar, created = BusinessCalendar.objects.get_or_create(
        name=name,
        defaults={
            "time_zone": "Europe/Stockholm",
            "holiday_country": "" if every_day else "SE",
            "close_on_eves": {}
            if every_day
            else {str(eve): str(rule) for eve, rule in OFFICE_EVES.items()},
            "half_day_closes_at": dt.time(13, 0),
        },
    )
    if created:
        OpeningHours.objects.bulk_create(
            OpeningHours(
                calendar=calendar,
                weekday=day,
                opens_at=dt.time(opens, 0),
                closes_at=dt.time(closes, 0),
            )
            for day in range(7 if every_day else 5)
        )
    return calendar
