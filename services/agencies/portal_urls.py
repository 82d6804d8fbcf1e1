"""Portal pages of agencies (onboarding, admins, suspension): central host only (views in
services/agencies/portal.py)."""

from django.urls import path

from services.agencies import portal

agency_urlpatterns: list = []
central_urlpatterns: list = [
    path("", portal.agency_list, name="agencies"),
    path("new/", portal.agency_new, name="agency-new"),
    path("<int:pk>/", portal.agency_detail, name="agency"),
]
