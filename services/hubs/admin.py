"""Service hubs and their stock in the central Django admin. Every add, change and delete made
here goes through the hubs' actions (services/hubs/actions.py), whose errors are shown beside
the form's fields."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from config.admin_actions import ActionAdmin, ActionForm, add_action_errors
from services.hubs import actions
from services.hubs.models import Hub, HubService, StockItem
from tenants.models import User

# The fields of a stock item edited with its hub (the hub is the page's).
INLINE_STOCK_FIELDS = tuple(f for f in actions.STOCK_FIELDS if f != "hub")


class HubForm(ActionForm):
    validate = staticmethod(actions.validate_hub)
    services = forms.MultipleChoiceField(
        choices=HubService.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Hub
        fields = actions.HUB_FIELDS

    def action_values(self) -> dict[str, Any]:
        values = {field: self.cleaned_data.get(field) for field in actions.HUB_FIELDS}
        values["calendar"] = getattr(values["calendar"], "pk", None)
        return values  # the services offered are values, not rows


def stock_values(form: forms.ModelForm, hub: Hub) -> dict[str, Any]:
    """A stock form's values for the actions; the hub only once it exists."""
    values = {field: form.cleaned_data.get(field) for field in INLINE_STOCK_FIELDS}
    values["agency"] = getattr(values["agency"], "pk", None)
    if hub.pk is not None:
        values["hub"] = hub.pk
    return values


def marked_deleted(formset: BaseInlineFormSet, form: forms.BaseForm) -> bool:
    return bool(formset.can_delete and form.cleaned_data.get("DELETE"))


class StockFormSet(BaseInlineFormSet):
    """Each changed stock item checked by the stock actions' rules."""

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if form.errors or marked_deleted(self, form) or not form.has_changed():
                continue
            item = form.instance if form.instance.pk else None
            try:
                actions.validate_stock_item(stock_values(form, self.instance), item)
            except ValidationError as exc:
                add_action_errors(form, exc)


class StockInline(admin.TabularInline):
    model = StockItem
    formset = StockFormSet
    extra = 0
    fields = INLINE_STOCK_FIELDS


class DeleteByAction:
    """Deletes through the actions' `delete(actor, pk)`, with the admin's own permission."""

    delete: Any = None  # staticmethod(actions.delete_<thing>)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return admin.ModelAdmin.has_delete_permission(self, request, obj)  # type: ignore[arg-type]  # a mixin

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        type(self).delete(request.user, obj.pk)


@admin.register(Hub)
class HubAdmin(DeleteByAction, ActionAdmin):
    """Writes through `create_hub`, `update_hub` and `delete_hub`; the stock on its page
    through the stock actions."""

    form = HubForm
    create, update = staticmethod(actions.create_hub), staticmethod(actions.update_hub)
    delete = staticmethod(actions.delete_hub)
    list_display = ("name", "county", "city", "slot_minutes", "capacity", "is_active")
    list_filter = ("county", "is_active")
    search_fields = ("name", "city")
    list_select_related = ("calendar",)
    inlines = [StockInline]

    def save_formset(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        formset: BaseInlineFormSet,
        change: bool,
    ) -> None:
        """The stock items: deleted, changed and added by their actions."""
        # what formset.save() would report, for the admin's change message
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for f in formset.forms:
            if marked_deleted(formset, f):
                if f.instance.pk is not None:
                    actions.delete_stock_item(cast(User, request.user), f.instance.pk)
                    formset.deleted_objects.append(f.instance)
            elif f.has_changed():
                values = stock_values(f, form.instance)
                if f.instance.pk is None:
                    item = actions.create_stock_item(cast(User, request.user), **values)
                    formset.new_objects.append(item)
                else:
                    item = actions.update_stock_item(
                        cast(User, request.user), f.instance.pk, **values
                    )
                    formset.changed_objects.append((item, f.changed_data))


class StockItemForm(ActionForm):
    validate = staticmethod(actions.validate_stock_item)

    class Meta:
        model = StockItem
        fields = actions.STOCK_FIELDS


@admin.register(StockItem)
class StockItemAdmin(DeleteByAction, ActionAdmin):
    """Writes through `create_stock_item`, `update_stock_item` and `delete_stock_item`."""

    form = StockItemForm
    create = staticmethod(actions.create_stock_item)
    update = staticmethod(actions.update_stock_item)
    delete = staticmethod(actions.delete_stock_item)
    list_display = ("serial_number", "model", "kind", "state", "hub")
    list_filter = ("kind", "state", "hub")
    search_fields = ("serial_number", "model")
    list_select_related = ("hub",)
