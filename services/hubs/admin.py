"""Service hubs and their stock in the central Django admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from services.hubs.models import Hub, HubService, StockItem


class _HubForm(forms.ModelForm):
    services = forms.MultipleChoiceField(
        choices=HubService.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Hub
        fields = (
            "name",
            "county",
            "street_address",
            "postal_code",
            "city",
            "calendar",
            "slot_minutes",
            "capacity",
            "services",
            "is_active",
        )


class StockInline(admin.TabularInline):
    model = StockItem
    extra = 0
    fields = ("serial_number", "model", "kind", "state", "agency")


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    form = _HubForm
    list_display = ("name", "county", "city", "slot_minutes", "capacity", "is_active")
    list_filter = ("county", "is_active")
    search_fields = ("name", "city")
    list_select_related = ("calendar",)
    inlines = [StockInline]


@admin.register(StockItem)
class StockItemAdmin(admin.ModelAdmin):
    list_display = ("serial_number", "model", "kind", "state", "hub")
    list_filter = ("kind", "state", "hub")
    search_fields = ("serial_number", "model")
    list_select_related = ("hub",)
