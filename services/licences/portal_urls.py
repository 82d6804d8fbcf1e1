"""Portal pages of licences: central host only (views in services/licences/portal.py)."""

from django.urls import path

from services.licences import portal

agency_urlpatterns: list = []
central_urlpatterns: list = [
    path("", portal.pool_list, name="pools"),
    path("<int:pk>/", portal.pool_detail, name="pool"),
]
