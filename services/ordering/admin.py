"""Orders, subscriptions and their audit trail in the agency host's admin (read-only: every
change goes through the ordering actions)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from config.readonly_admin import ReadOnlyAdmin
from services.agencies.admin import agency_admin_site
from services.ordering.models import (
    Budget,
    BudgetChange,
    Order,
    OrderEvent,
    OrderLine,
    Subscription,
)


class ReadOnly(ReadOnlyAdmin):
    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their order's page, never written there."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.admin_site.has_permission(request)


class LineInline(ReadOnlyInline):
    model = OrderLine
    fields = (
        "position",
        "offering",
        "quantity",
        "unit_monthly_ore",
        "unit_one_off_ore",
        "state",
        "decided_reason",
    )
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("at", "action", "actor_id", "actor_role", "from_state", "to_state", "reason")
    readonly_fields = fields


@admin.register(Order, site=agency_admin_site)
class OrderAdmin(ReadOnly):
    list_display = ("id", "kind", "state", "placed_at", "year_effect_ore", "deliver_by")
    list_filter = ("state", "kind")
    inlines = [LineInline, EventInline]


@admin.register(Subscription, site=agency_admin_site)
class SubscriptionAdmin(ReadOnly):
    list_display = (
        "id",
        "offering",
        "quantity",
        "unit_monthly_ore",
        "starts_on",
        "ends_on",
        "state",
    )
    list_select_related = ("offering",)
    list_filter = ("state",)


@admin.register(OrderEvent, site=agency_admin_site)
class OrderEventAdmin(ReadOnly):
    list_display = (
        "at",
        "action",
        "order",
        "subscription",
        "actor_id",
        "actor_role",
        "from_state",
        "to_state",
        "reason",
    )
    list_filter = ("action",)


@admin.register(Budget, site=agency_admin_site)
class BudgetAdmin(ReadOnly):
    """Read-only: budgets are set on the portal's budget page or with `setBudget`, which keep
    their history."""

    list_display = ("year", "amount_ore", "approval_threshold_ore")


@admin.register(BudgetChange, site=agency_admin_site)
class BudgetChangeAdmin(ReadOnly):
    list_display = ("at", "year", "amount_ore", "approval_threshold_ore", "actor_id")
