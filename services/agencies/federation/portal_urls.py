"""Portal pages of federated sign-in (views in services/agencies/federation/portal.py): an
agency's admins on its host, central IT's platform admins on the central host."""

from django.urls import path

from services.agencies.federation import portal

agency_urlpatterns: list = [
    path("", portal.providers, name="list"),
    path("add/<str:kind>/", portal.add, name="add"),
    path("<int:pk>/", portal.edit, name="edit"),
    path("<int:pk>/switch/", portal.switch, name="switch"),
]
central_urlpatterns: list = agency_urlpatterns
