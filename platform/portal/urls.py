"""The portal's pages of every domain, mounted under one prefix per domain and namespaced by
it (`ordering:catalogue`, `support:queue`), on the agency hosts and on the central host."""

from __future__ import annotations

from importlib import import_module

from django.urls import include, path

# namespace -> module with agency_urlpatterns and central_urlpatterns
DOMAINS = {
    "ordering": "services.ordering.portal_urls",
    "support": "services.support.portal_urls",
    "seats": "services.licences.seats.portal_urls",
    "catalogue": "services.catalogue.portal_urls",
    "licences": "services.licences.portal_urls",
    "costs": "services.costs.portal_urls",
    "visits": "services.field.visits.portal_urls",
    "bookings": "services.hubs.bookings.portal_urls",
    "hubs": "services.hubs.portal_urls",
    "outbox": "services.outbox.portal_urls",
    "tenants": "services.agencies.portal_urls",
}


def patterns(host: str) -> list:
    """`host` is "agency" or "central"."""
    out = []
    for namespace, module_name in DOMAINS.items():
        module = import_module(module_name)
        urls = getattr(module, f"{host}_urlpatterns")
        if urls:
            out.append(path(f"{namespace}/", include((urls, namespace))))
    return out
