"""Technicians in the central Django admin, written through the dispatch actions (the
identity must hold the technician role); visit drivers shown read-only (they are written only
by completing visits)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from config.admin_actions import ActionAdmin, ActionForm
from config.readonly_admin import ReadOnlyAdmin
from services.field import actions
from services.field.models import Technician, VisitDriver
from tenants.counties import COUNTY_CHOICES
from tenants.models import User


class TechnicianForm(ActionForm):
    """The technician's fields, checked by `validate_technician` before anything is
    written."""

    validate = staticmethod(actions.validate_technician)

    counties = forms.MultipleChoiceField(
        label=_("counties covered"),
        choices=COUNTY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Technician
        fields = actions.TECHNICIAN_FIELDS

    def action_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data.get(name) for name in actions.TECHNICIAN_FIELDS}
        for name in ("user", "calendar"):
            values[name] = getattr(values[name], "pk", None)
        values["counties"] = list(values["counties"] or ())
        return values


@admin.register(Technician)
class TechnicianAdmin(ActionAdmin):
    """Adds, changes and removes technicians through `create_technician`,
    `update_technician` and `delete_technician`."""

    form = TechnicianForm
    create = staticmethod(actions.create_technician)
    update = staticmethod(actions.update_technician)
    list_display = ("user", "home_county", "calendar", "covered", "is_active")
    list_filter = ("is_active", "home_county")
    search_fields = ("user__username",)
    list_select_related = ("user", "calendar")

    @admin.display(description=_("counties covered"))
    def covered(self, obj: Technician) -> str:
        return ", ".join(obj.counties)

    def delete_model(self, request: HttpRequest, obj: Technician) -> None:
        actions.delete_technician(cast(User, request.user), obj.pk)

    def has_delete_permission(self, request: HttpRequest, obj: Technician | None = None) -> bool:
        # Django's own permission, as before (ActionAdmin refuses deleting outright)
        return super(ActionAdmin, self).has_delete_permission(request, obj)


@admin.register(VisitDriver)
class VisitDriverAdmin(ReadOnlyAdmin):
    list_display = ("agency", "month", "visits", "minutes_on_site", "minutes_travel")
    list_filter = ("month",)
    list_select_related = ("agency",)
