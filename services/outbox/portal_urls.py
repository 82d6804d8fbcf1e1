"""Portal pages of the outbox (views in services/outbox/portal.py): central host only."""

from django.urls import path

from services.outbox import portal

agency_urlpatterns: list = []
central_urlpatterns: list = [
    path("", portal.status, name="status"),
    path("retry/", portal.retry, name="retry"),
]
