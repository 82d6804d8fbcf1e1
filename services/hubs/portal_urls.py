"""Portal pages of service hubs: a hub's day on the central host (views in
services/hubs/portal.py). The agency's device register is mounted here too (views in
services/devices/portal.py) until devices has a mount of its own."""

from django.urls import path

from services.devices import portal as devices
from services.hubs import portal

agency_urlpatterns: list = [
    path("devices/", devices.devices, name="devices"),
]
central_urlpatterns: list = [
    path("bookings/", portal.hub_bookings, name="bookings"),
    path("bookings/<int:agency_id>/<int:pk>/attended/", portal.attend, name="attend"),
    path("bookings/<int:agency_id>/<int:pk>/handover/", portal.handover, name="handover"),
]
