"""Portal pages of service hubs: a hub's day and its loaners on the central host (views in
services/hubs/portal.py and services/hubs/loaners.py). The agency's device register, once
mounted here, has its own mount (/devices/); its old address redirects there."""

from django.urls import path
from django.views.generic import RedirectView

from services.hubs import loaners, portal

agency_urlpatterns: list = [
    path("devices/", RedirectView.as_view(url="/devices/", permanent=True, query_string=True)),
]
central_urlpatterns: list = [
    path("bookings/", portal.hub_bookings, name="bookings"),
    path("bookings/<int:agency_id>/<int:pk>/attended/", portal.attend, name="attend"),
    path("bookings/<int:agency_id>/<int:pk>/handover/", portal.handover, name="handover"),
    path("loaners/", loaners.loaners, name="loaners"),
    path("loaners/<int:pk>/return/", loaners.take_back, name="loaner-return"),
]
