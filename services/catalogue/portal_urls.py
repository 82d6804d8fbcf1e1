"""Portal pages of the catalogue: central host only (views in services/catalogue/portal/)."""

from django.urls import path

from services.catalogue.portal import agreements, services

agency_urlpatterns: list = []
central_urlpatterns: list = [
    path("", services.service_list, name="services"),
    path("new/", services.service_new, name="service-new"),
    path("<int:pk>/", services.service_detail, name="service"),
    path("<int:pk>/edit/", services.service_edit, name="service-edit"),
    path("<int:service_pk>/offerings/new/", services.offering_new, name="offering-new"),
    path("offerings/<int:pk>/", services.offering_detail, name="offering"),
    path("offerings/<int:pk>/edit/", services.offering_edit, name="offering-edit"),
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("agreements/new/", agreements.agreement_new, name="agreement-new"),
    path("agreements/<int:pk>/", agreements.agreement_edit, name="agreement"),
]
