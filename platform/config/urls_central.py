"""URLs of the central host (public schema): central IT and finance."""

from django.contrib import admin
from django.urls import path

from config.urls_common import common_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    *common_patterns,
]

handler403 = "tenants.views.denied"
