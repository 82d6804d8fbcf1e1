"""/scim/v2/ of an agency's host (mounted by routes/agency.py only: the central host has none)."""

from django.urls import path, re_path

from api.scim import groups, views

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="scim-spc"),
    path("Schemas", views.schemas, name="scim-schemas"),
    path("Schemas/<str:id>", views.schemas, name="scim-schema"),
    path("ResourceTypes", views.resource_types, name="scim-resource-types"),
    path("ResourceTypes/<str:id>", views.resource_types, name="scim-resource-type"),
    path("Users", views.users, name="scim-users"),
    path("Users/.search", views.users_search, name="scim-users-search"),
    path(".search", groups.search_all, name="scim-search"),
    path("Users/<str:id>", views.user, name="scim-user"),
    path("Groups", groups.groups, name="scim-groups"),
    path("Groups/.search", groups.groups_search, name="scim-groups-search"),
    path("Groups/<str:id>", groups.group, name="scim-group"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="scim-not-found"),
]
