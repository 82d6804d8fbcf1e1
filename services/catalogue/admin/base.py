"""The catalogue admin's base: every add, change and delete made there goes through the
catalogue's actions (their rules, row locks and audit events, `via` the admin as in the API),
and the actions' validation errors are shown beside the form's fields."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _


class ActionAdmin(admin.ModelAdmin):
    """A model admin that writes nothing itself: subclasses save through the actions. A rule
    the form could not check beforehand (a row changed meanwhile) is shown as an error and
    nothing is written (the admin's change view is one transaction)."""

    def save_model(self, request, obj, form, change):
        raise NotImplementedError(f"{type(self).__name__} must save through the actions")

    def save_formset(self, request, form, formset, change):
        if formset.forms and any(f.has_changed() for f in formset.forms):
            raise NotImplementedError(f"{type(self).__name__} must save its inlines by action")

    def delete_model(self, request, obj):
        raise PermissionDenied(_("This is not deleted here: retire or change it instead."))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def add_action_errors(form, exc) -> None:
    """Show an action's ValidationError on `form`: each error beside its field, or above the
    form when the form has no such field."""
    for field, errors in exc.error_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
