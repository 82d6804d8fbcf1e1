"""The navigation of each host, by role: one list, so every page shows the same menu."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from tenants.roles import (
    CATALOGUE_KEEPERS,
    FINANCE_OFFICERS,
    HUB_WORKERS,
    KNOWLEDGE_EDITORS,
    SERVICE_DESK,
    TICKET_AGENTS,
    Role,
)
from tenants.viewer import of_request

ANY = "any"  # every signed-in member of the host


@dataclass(frozen=True)
class Item:
    url_name: str
    label: str | Promise  # translated when shown (gettext_lazy)
    roles: tuple[str, ...]


AGENCY_MENU = (
    Item("home", _("Home"), (ANY,)),
    Item("todo", _("To do"), (Role.AGENCY_ADMIN,)),
    Item("support:new", _("Report a problem"), (ANY,)),
    Item("knowledge:help", _("Self-help"), (ANY,)),
    Item("support:mine", _("My tickets"), (ANY,)),
    Item("support:chat-start", _("Chat"), (ANY,)),
    Item("visits:request", _("Field visit"), (ANY,)),
    Item("bookings:book", _("Book a service hub"), (ANY,)),
    Item("people:mine", _("My details"), (ANY,)),
    Item("ordering:catalogue", _("Catalogue"), (Role.AGENCY_ADMIN,)),
    Item("ordering:orders", _("Orders"), (Role.AGENCY_ADMIN,)),
    Item("ordering:subscriptions", _("Subscriptions"), (Role.AGENCY_ADMIN,)),
    Item("ordering:budgets", _("Budgets"), (Role.AGENCY_ADMIN,)),
    Item("people:list", _("People"), (Role.AGENCY_ADMIN,)),
    Item("seats:people", _("People and licences"), (Role.AGENCY_ADMIN,)),
    Item("devices:devices", _("Devices"), (Role.AGENCY_ADMIN,)),
    Item("devices:replacements", _("Device replacements"), (Role.AGENCY_ADMIN,)),
    Item("support:agency", _("Agency tickets"), (Role.AGENCY_ADMIN,)),
    Item("incidents:agency", _("Major incidents"), (Role.AGENCY_ADMIN,)),
    Item("support:compliance-agency", _("Agreement compliance"), (Role.AGENCY_ADMIN,)),
    Item("costs:agency", _("Costs"), (Role.AGENCY_ADMIN,)),
    Item("outbox:agency", _("Outgoing messages"), (Role.AGENCY_ADMIN,)),
    Item("identity:list", _("Sign-in"), (Role.AGENCY_ADMIN,)),
)

CENTRAL_MENU = (
    Item("home", _("Home"), (ANY,)),
    Item("todo", _("To do"), (Role.FINANCE,)),
    Item("support:queue", _("Service desk"), TICKET_AGENTS),
    Item("support:canned", _("Canned answers"), SERVICE_DESK),
    Item("knowledge:articles", _("Knowledge base"), KNOWLEDGE_EDITORS),
    Item("incidents:console", _("Major incidents"), SERVICE_DESK),
    Item("support:compliance", _("Agreement compliance"), (*SERVICE_DESK, Role.FINANCE)),
    Item("ordering:fulfilment", _("Fulfilment"), SERVICE_DESK),
    Item("ordering:overrides", _("Budget overrides"), (Role.FINANCE,)),
    Item("visits:board", _("Dispatch"), SERVICE_DESK),
    Item("visits:mine", _("My visits"), (Role.TECHNICIAN,)),
    Item("hubs:bookings", _("Hub bookings"), HUB_WORKERS),
    Item("hubs:loaners", _("Loaners"), HUB_WORKERS),
    Item("catalogue:services", _("Catalogue"), CATALOGUE_KEEPERS),
    Item("licences:pools", _("Licence pools"), CATALOGUE_KEEPERS),
    Item("tenants:agencies", _("Agencies"), (Role.PLATFORM_ADMIN,)),
    Item("identity:list", _("Sign-in"), (Role.PLATFORM_ADMIN,)),
    Item("outbox:status", _("Outgoing messages"), SERVICE_DESK),
    Item("costs:periods", _("Cost split"), FINANCE_OFFICERS),
)


def is_central_host(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is not None and tenant.schema_name == get_public_schema_name()


def _allowed(item: Item, request) -> bool:
    viewer = of_request(request)
    if is_central_host(request):
        return ANY in item.roles or viewer.central(*item.roles)
    return viewer.member() if ANY in item.roles else viewer.member(*item.roles)


def menu(request) -> list[dict]:
    """The items this user may open on this host; pages not built yet are left out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in CENTRAL_MENU if is_central_host(request) else AGENCY_MENU:
        if not _allowed(item, request):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"url": url, "label": item.label, "current": current})
    return items


def portal(request) -> dict:
    """Context processor: the menu, and the host's agency (None on the central host)."""
    central = is_central_host(request) if hasattr(request, "tenant") else True
    member = not central and of_request(request).member()
    return {
        "portal_menu": menu(request) if hasattr(request, "tenant") else [],
        # The agency's name only for its members: a refused visitor learns nothing of it.
        "host_agency": request.tenant if member else None,
    }
