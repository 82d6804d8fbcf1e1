"""Roles: granted per agency or centrally (design.md, "Who uses it")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENCY_ADMIN = "agency_admin", _("Agency admin")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")
    CATALOGUE_MANAGER = "catalogue_manager", _("Catalogue manager")
    SERVICE_DESK_AGENT = "service_desk_agent", _("Service-desk agent")
    TECHNICIAN = "technician", _("Technician")
    HUB_STAFF = "hub_staff", _("Hub staff")
    FINANCE = "finance", _("Finance")


AGENCY_ROLES = frozenset({Role.AGENCY_ADMIN, Role.AGENCY_STAFF})
CENTRAL_ROLES = frozenset(set(Role) - AGENCY_ROLES)
