"""Portal pages of the outbox (views in services/outbox/portal.py): central IT's overview on
the central host, an agency admin's own messages on the agency's host."""

from django.urls import path

from services.outbox import portal

agency_urlpatterns: list = [
    path("", portal.agency_status, name="agency"),
    path("retry/", portal.agency_retry, name="agency-retry"),
]
central_urlpatterns: list = [
    path("", portal.status, name="status"),
    path("retry/", portal.retry, name="retry"),
]
