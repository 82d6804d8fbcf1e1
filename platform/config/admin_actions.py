"""The Django admin's base for every domain: each add, change and delete made there goes
through the domain's actions (their rules, row locks and audit events, `via` the admin as in
the API), and the actions' validation errors are shown beside the form's fields. Used by the
catalogue, field, hubs and licences admins; calendars, below the domains, calls its actions
from its own hooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _


class ActionForm(forms.ModelForm):
    """A model form whose values are checked by the action's own rules (`validate`, called
    with the values and the row or None) before anything is written; rows chosen in the form
    are passed on by primary key, as the API passes them."""

    validate: Callable[..., None] | None = None  # staticmethod(actions.validate_<thing>)

    def action_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in self._meta.fields or ():  # the subclass's Meta.fields
            value = self.cleaned_data.get(field)
            if isinstance(value, models.Model):
                value = value.pk
            elif isinstance(value, models.QuerySet | list):
                value = [row.pk for row in value]
            values[field] = value
        return values

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                type(self).validate(
                    self.action_values(), self.instance if self.instance.pk else None
                )
            except ValidationError as exc:
                add_action_errors(self, exc)
        return data


class ActionAdmin(admin.ModelAdmin):
    """A model admin that writes nothing itself: subclasses save through the actions. A rule
    the form could not check beforehand (a row changed meanwhile) is shown as an error and
    nothing is written (the admin's change view is one transaction)."""

    # staticmethod(actions.create_<thing>), staticmethod(actions.update_<thing>)
    create: Callable[..., models.Model] | None = None
    update: Callable[..., models.Model] | None = None

    def save_model(self, request, obj, form, change):
        """Through `update(actor, pk, **values)` or `create(actor, **values)`, with the form's
        `action_values()`; an admin without them overrides this."""
        if self.create is None:
            raise NotImplementedError(f"{type(self).__name__} must save through the actions")
        values = form.action_values()
        if change:
            saved = self.update(request.user, obj.pk, **values)
        else:
            saved = self.create(request.user, **values)
        obj.pk = saved.pk

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
