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

# Role sets: each combination of roles that some rule grants has one name, here, and every
# domain that needs it imports it (a rule that needs another combination adds it here).
# Orders' fulfilment, major incidents, breach reviews, undelivered mail, field dispatch and
# the service desk's menu.
SERVICE_DESK = (Role.PLATFORM_ADMIN, Role.SERVICE_DESK_AGENT)
# Working tickets (assignees).
TICKET_AGENTS = (Role.SERVICE_DESK_AGENT, Role.TECHNICIAN, Role.PLATFORM_ADMIN)
# The catalogue's pages, and licence pools (read and written: in the API and the portal alike)
# with their usage imports.
CATALOGUE_KEEPERS = (Role.CATALOGUE_MANAGER, Role.PLATFORM_ADMIN)
# The cost split's figures and the joint projects.
FINANCE_OFFICERS = (Role.FINANCE, Role.PLATFORM_ADMIN)
# Central IT's queues and compliance reports, read by finance too.
QUEUE_READERS = (Role.PLATFORM_ADMIN, Role.SERVICE_DESK_AGENT, Role.FINANCE)
# Supplier contracts.
CONTRACT_READERS = (Role.CATALOGUE_MANAGER, Role.PLATFORM_ADMIN, Role.FINANCE)
# Devices in custody and hub stock.
CUSTODIANS = (Role.HUB_STAFF, Role.TECHNICIAN, Role.SERVICE_DESK_AGENT, Role.PLATFORM_ADMIN)
# Hub bookings at the counter.
HUB_DESK = (Role.HUB_STAFF, Role.SERVICE_DESK_AGENT)
# Knowledge articles, and the report of what they solved (finance reads it too).
KNOWLEDGE_EDITORS = (Role.CATALOGUE_MANAGER, Role.SERVICE_DESK_AGENT, Role.PLATFORM_ADMIN)
KNOWLEDGE_REPORT_READERS = (*KNOWLEDGE_EDITORS, Role.FINANCE)
# The hubs' pages and their days' bookings.
HUB_WORKERS = (*HUB_DESK, Role.PLATFORM_ADMIN)
