"""Portal pages of the agency's device register and its replacement proposals (agency host;
views in devices/portal.py and devices/replacements/portal.py)."""

from django.urls import path

from services.devices import portal
from services.devices.replacements import portal as replacements

agency_urlpatterns: list = [
    path("", portal.devices, name="devices"),
    path("replacements/", replacements.proposals, name="replacements"),
    path("replacements/<int:pk>/accept/", replacements.accept, name="replacement-accept"),
    path("replacements/<int:pk>/dismiss/", replacements.dismiss, name="replacement-dismiss"),
]
central_urlpatterns: list = []
