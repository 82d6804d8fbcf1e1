"""Portal pages of the agency's device register (agency host; views in devices/portal.py)."""

from django.urls import path

from services.devices import portal

agency_urlpatterns: list = [
    path("", portal.devices, name="devices"),
]
central_urlpatterns: list = []
