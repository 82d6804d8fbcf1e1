"""Demo service hubs in five counties, with loaner and replacement stock, all in stock (the
demo's loans are made through the loan actions: demo/data/devices.py). Idempotent: a hub that
exists (by name) is left as it is; stock is added only to a hub without any."""

from __future__ import annotations

from django.db import transaction

from demo.data.calendars import OFFICE, load_calendars
from services.hubs.models import Hub, HubService, StockItem, StockKind, StockState

ALL = [HubService.DROP_OFF, HubService.PICK_UP, HubService.LOANER_SWAP]

# name, county, street address, postal code, city, slot minutes, capacity, services
HUBS = [
    ("Servicepunkt Stockholm", "AB", "Regeringsgatan 66", "111 39", "Stockholm", 20, 4, ALL),
    ("Servicepunkt Göteborg", "O", "Södra Hamngatan 3", "411 06", "Göteborg", 20, 3, ALL),
    ("Servicepunkt Malmö", "M", "Kungsgatan 13", "211 49", "Malmö", 20, 3, ALL),
    (
        "Servicepunkt Umeå",
        "AC",
        "Storgatan 71 B",
        "903 30",
        "Umeå",
        30,
        2,
        [HubService.DROP_OFF, HubService.PICK_UP],
    ),
    (
        "Servicepunkt Luleå",
        "BD",
        "Stationsgatan 5",
        "972 38",
        "Luleå",
        30,
        2,
        [HubService.DROP_OFF, HubService.PICK_UP],
    ),
]

MODELS = {StockKind.LOANER: "Dell Latitude 5450", StockKind.REPLACEMENT: "Lenovo ThinkPad T14"}


@transaction.atomic
def load_hubs(calendars: dict | None = None) -> list[Hub]:
    """The five demo hubs (office hours calendar), each with a few loaners and replacements."""
    calendars = calendars or load_calendars()
    office = calendars[OFFICE]
    hubs = []
    for index, (name, county, street, postal, city, slot, capacity, services) in enumerate(
        HUBS, start=1
    ):
        hub, _created = Hub.objects.get_or_create(
            name=name,
            defaults={
                "county": county,
                "street_address": street,
                "postal_code": postal,
                "city": city,
                "calendar": office,
                "slot_minutes": slot,
                "capacity": capacity,
                "services": [str(s) for s in services],
            },
        )
        if not hub.stock.exists():
            items = []
            for kind, count in ((StockKind.LOANER, 4), (StockKind.REPLACEMENT, 3)):
                for i in range(count):
                    items.append(
                        StockItem(
                            hub=hub,
                            serial_number=f"SN-HUB{index}-{kind[:3].upper()}-{i + 1:02d}",
                            model=MODELS[kind],
                            kind=kind,
                            state=StockState.AVAILABLE,  # lent by the demo's loans (devices)
                        )
                    )
            StockItem.objects.bulk_create(items)
        hubs.append(hub)
    return hubs
