"""Portal pages of major incidents (views in services/incidents/portal.py)."""

from django.urls import path

from services.incidents import portal

agency_urlpatterns: list = [
    path("", portal.agency_list, name="agency"),
]
central_urlpatterns: list = [
    path("", portal.console, name="console"),
    path("<int:pk>/", portal.detail, name="detail"),
]
