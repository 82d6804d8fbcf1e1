"""The dates on which a business calendar may close: the Swedish eves (closed, half days or
normal per calendar) and the public holidays of a country (from the `holidays` package).

The eve configuration of a calendar is authoritative: the `holidays` package's midsummer,
Christmas and New Year's eves (listed as holidays by some versions or categories) are never
taken as holidays here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from types import MappingProxyType

import holidays

from services.calendars.models import Eve


def easter_sunday(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    n = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * n) // 451
    month, day = divmod(h + n - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _weekday_between(year: int, month: int, first_day: int, weekday: int) -> dt.date:
    """The first date with `weekday` on or after (year, month, first_day)."""
    start = dt.date(year, month, first_day)
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


@functools.cache
def eve_dates(year: int) -> Mapping[dt.date, tuple[str, ...]]:
    """The Swedish eves of `year`: date -> the `Eve` values falling on it (two can coincide,
    e.g. Walpurgis Night and the day before Ascension Day)."""
    easter = easter_sunday(year)
    days = {
        Eve.TWELFTH_NIGHT: dt.date(year, 1, 5),
        Eve.MAUNDY_THURSDAY: easter - dt.timedelta(days=3),
        Eve.EASTER_EVE: easter - dt.timedelta(days=1),
        Eve.WALPURGIS_NIGHT: dt.date(year, 4, 30),
        Eve.ASCENSION_EVE: easter + dt.timedelta(days=38),
        Eve.WHITSUN_EVE: easter + dt.timedelta(days=48),
        Eve.NATIONAL_DAY_EVE: dt.date(year, 6, 5),
        # Midsummer Day is the Saturday 20-26 June; All Saints' Day the Saturday 31 Oct-6 Nov.
        Eve.MIDSUMMER_EVE: _weekday_between(year, 6, 19, 4),
        Eve.ALL_SAINTS_EVE: _weekday_between(year, 10, 30, 4),
        Eve.CHRISTMAS_EVE: dt.date(year, 12, 24),
        Eve.NEW_YEARS_EVE: dt.date(year, 12, 31),
    }
    found: dict[dt.date, tuple[str, ...]] = {}
    for eve, day in days.items():
        found[day] = (*found.get(day, ()), str(eve))
    return MappingProxyType(found)  # cached: read-only


# Eves that some versions or categories of the `holidays` package list as holidays.
_EVES_NOT_HOLIDAYS = (Eve.MIDSUMMER_EVE, Eve.CHRISTMAS_EVE, Eve.NEW_YEARS_EVE)


@functools.cache
def public_holidays(country: str, year: int) -> frozenset[dt.date]:
    """The public holidays of `country` in `year` from the `holidays` package: the "public"
    category, without Sundays as such and without the eves (configured per calendar)."""
    if not country:
        return frozenset()
    try:
        found = holidays.country_holidays(
            country, years=year, categories=("public",), include_sundays=False
        )
    except TypeError:  # a country (or version) without the include_sundays option
        found = holidays.country_holidays(country, years=year, categories=("public",))
    dates = set(found)
    if country.upper() == "SE":
        eves = {
            day for day, names in eve_dates(year).items() if set(names) & set(_EVES_NOT_HOLIDAYS)
        }
        dates -= eves
    return frozenset(d for d in dates if d.year == year)
