"""Sweden's 21 counties (län), their letter codes and the coordinates of their seats.

Dispatch orders technicians by the great-circle distance between county seats: a small table
is enough to tell Luleå from Malmö, and no map service is called. Coordinates are WGS 84
degrees of the seat towns' centres (rounded to four decimals).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class County:
    code: str
    name: str
    seat: str
    lat: float
    lon: float


COUNTIES: dict[str, County] = {
    c.code: c
    for c in (
        County("AB", "Stockholms län", "Stockholm", 59.3293, 18.0686),
        County("C", "Uppsala län", "Uppsala", 59.8586, 17.6389),
        County("D", "Södermanlands län", "Nyköping", 58.7530, 17.0079),
        County("E", "Östergötlands län", "Linköping", 58.4108, 15.6214),
        County("F", "Jönköpings län", "Jönköping", 57.7826, 14.1618),
        County("G", "Kronobergs län", "Växjö", 56.8777, 14.8091),
        County("H", "Kalmar län", "Kalmar", 56.6634, 16.3568),
        County("I", "Gotlands län", "Visby", 57.6348, 18.2948),
        County("K", "Blekinge län", "Karlskrona", 56.1612, 15.5869),
        County("M", "Skåne län", "Malmö", 55.6050, 13.0038),
        County("N", "Hallands län", "Halmstad", 56.6745, 12.8578),
        County("O", "Västra Götalands län", "Göteborg", 57.7089, 11.9746),
        County("S", "Värmlands län", "Karlstad", 59.4022, 13.5115),
        County("T", "Örebro län", "Örebro", 59.2753, 15.2134),
        County("U", "Västmanlands län", "Västerås", 59.6099, 16.5448),
        County("W", "Dalarnas län", "Falun", 60.6065, 15.6355),
        County("X", "Gävleborgs län", "Gävle", 60.6749, 17.1413),
        County("Y", "Västernorrlands län", "Härnösand", 62.6323, 17.9379),
        County("Z", "Jämtlands län", "Östersund", 63.1792, 14.6357),
        County("AC", "Västerbottens län", "Umeå", 63.8258, 20.2630),
        County("BD", "Norrbottens län", "Luleå", 65.5848, 22.1547),
    )
}

# For model fields: the code is stored, the county's name shown (names are proper nouns).
COUNTY_CHOICES = [(c.code, c.name) for c in COUNTIES.values()]


EARTH_RADIUS_KM = 6371.0


def distance_km(a: str, b: str) -> float:
    """Great-circle (haversine) distance between the seats of counties `a` and `b`."""
    ca, cb = COUNTIES[a], COUNTIES[b]
    p1, p2 = math.radians(ca.lat), math.radians(cb.lat)
    dp, dl = p2 - p1, math.radians(cb.lon - ca.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
