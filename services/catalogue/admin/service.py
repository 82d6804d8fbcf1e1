"""Services in the admin: written through the service actions (lifecycle rules, retiring
their offerings)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.catalogue import actions
from services.catalogue.admin.base import ActionAdmin, add_action_errors
from services.catalogue.models import (
    Service,
)


class ServiceForm(forms.ModelForm):
    """The service's fields, checked by the rules of the actions (a retired service stays
    retired; a new one is planned or active) before anything is written."""

    class Meta:
        model = Service
        fields = ("name", "description", "category", "owner", "suppliers", "lifecycle")

    def action_values(self) -> dict:
        data = self.cleaned_data
        values = {field: data.get(field) for field in self.Meta.fields}
        values["suppliers"] = [s.pk for s in data.get("suppliers") or []]
        return values

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                instance = self.instance if self.instance.pk else None
                actions.validate_service(self.action_values(), instance)
            except ValidationError as exc:
                add_action_errors(self, exc)
        return data


@admin.register(Service)
class ServiceAdmin(ActionAdmin):
    """Writes through `create_service` and `update_service`, as the API does: retiring a
    service here retires its offerings, and both are audited by the actions."""

    form = ServiceForm
    list_display = ("name", "category", "owner", "lifecycle", "offering_count")
    list_filter = ("category", "lifecycle", "suppliers")
    search_fields = ("name", "description", "owner")
    filter_horizontal = ("suppliers",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_offerings=Count("offerings"))

    @admin.display(description=gettext_lazy("offerings"), ordering="_offerings")
    def offering_count(self, obj):
        return obj._offerings

    def save_model(self, request, obj, form, change):
        values = form.action_values()
        if change:
            saved = actions.update_service(request.user, obj.pk, **values)
        else:
            saved = actions.create_service(request.user, **values)
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # the suppliers were set by the action
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        raise PermissionDenied(_("Retire a service instead of deleting it."))

    def has_delete_permission(self, request, obj=None):
        return False
