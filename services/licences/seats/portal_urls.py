"""Portal pages of seats: the agency's people and their licence seats (agency hosts; views in
services/licences/seats/portal.py)."""

from django.urls import path

from services.licences.seats import portal

agency_urlpatterns: list = [
    path("people/", portal.people, name="people"),
    path("people/<int:pk>/", portal.person, name="person"),
    path("people/<int:pk>/seats/<int:seat_pk>/release/", portal.release, name="release"),
]
central_urlpatterns: list = []
