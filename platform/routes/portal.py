"""The portal's pages of every domain, mounted under one prefix per domain and namespaced by
it (`ordering:catalogue`, `support:queue`), on the agency hosts and on the central host."""

from __future__ import annotations

from types import ModuleType

from django.urls import include, path

from services.agencies import portal_urls as agencies
from services.agencies.federation import portal_urls as identity
from services.catalogue import portal_urls as catalogue
from services.costs import portal_urls as costs
from services.devices import portal_urls as devices
from services.field.visits import portal_urls as visits
from services.hubs import portal_urls as hubs
from services.hubs.bookings import portal_urls as bookings
from services.incidents import portal_urls as incidents
from services.knowledge import portal_urls as knowledge
from services.licences import portal_urls as licences
from services.licences.seats import portal_urls as seats
from services.ordering import portal_urls as ordering
from services.outbox import portal_urls as outbox
from services.people import portal_urls as people
from services.support import portal_urls as support

# namespace -> module with agency_urlpatterns and central_urlpatterns
DOMAINS: dict[str, ModuleType] = {
    "ordering": ordering,
    "support": support,
    "seats": seats,
    "people": people,
    "catalogue": catalogue,
    "licences": licences,
    "costs": costs,
    "visits": visits,
    "bookings": bookings,
    "hubs": hubs,
    "devices": devices,
    "outbox": outbox,
    "tenants": agencies,
    "identity": identity,
    "incidents": incidents,
    "knowledge": knowledge,
}


def patterns(host: str) -> list:
    """`host` is "agency" or "central"."""
    out = []
    for namespace, module in DOMAINS.items():
        urls = getattr(module, f"{host}_urlpatterns")
        if urls:
            out.append(path(f"{namespace}/", include((urls, namespace))))
    return out
