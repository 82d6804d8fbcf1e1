"""Portal pages of hub bookings (views in services/bookings/portal.py)."""

from django.urls import path

from services.bookings import portal

agency_urlpatterns: list = [
    path("", portal.book, name="book"),
    path("slots/", portal.slot_list, name="slots"),
    path("<int:pk>/cancel/", portal.cancel, name="cancel"),
]
central_urlpatterns: list = []
