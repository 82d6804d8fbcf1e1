"""The catalogue admin's base: every add, change and delete made there is audited, and the
actions' validation errors are shown beside the form's fields."""

from __future__ import annotations

from django.contrib import admin

from services.audit.actions import record_event
from services.catalogue.models import (
    AgreementTarget,
    OfferingPrice,
    OfferingRelation,
)

# The names the actions use in audit events (services/catalogue/actions.py).
AUDIT_NAMES = {
    OfferingPrice: "price",
    OfferingRelation: "relation",
    AgreementTarget: "agreement_target",
}


class AuditedAdmin(admin.ModelAdmin):
    """Records each add, change and delete made in the admin as an audit event."""

    def _event(self, obj) -> str:
        return f"catalogue.{AUDIT_NAMES.get(type(obj), obj._meta.model_name)}"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            request.user,
            self._event(obj) + (".updated" if change else ".created"),
            obj,
            via="admin",
            fields=sorted(form.changed_data),
        )

    def delete_model(self, request, obj):
        record_event(request.user, self._event(obj) + ".deleted", obj, via="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_event(request.user, self._event(obj) + ".deleted", obj, via="admin")
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_event(request.user, self._event(obj) + ".deleted", obj, via="admin")
            obj.delete()
        for obj in instances:
            is_new = obj.pk is None
            obj.save()
            record_event(
                request.user,
                self._event(obj) + (".created" if is_new else ".updated"),
                obj,
                via="admin",
            )
        formset.save_m2m()


def add_action_errors(form, exc) -> None:
    """Show an action's ValidationError on `form`: each error beside its field, or above the
    form when the form has no such field."""
    for field, errors in exc.error_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
