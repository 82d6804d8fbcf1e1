"""Portal pages of hub bookings (views in services/hubs/bookings/portal.py)."""

from django.urls import path

from services.hubs.bookings import portal

agency_urlpatterns: list = [
    path("", portal.book, name="book"),
    path("slots/", portal.slot_list, name="slots"),
    path("<int:pk>/cancel/", portal.cancel, name="cancel"),
]
central_urlpatterns: list = []
