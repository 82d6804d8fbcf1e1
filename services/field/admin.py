"""Technicians in the central Django admin; visit drivers shown read-only (they are written
only by completing visits)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.readonly_admin import ReadOnlyAdmin
from services.field import policies
from services.field.models import Technician, VisitDriver
from tenants import access
from tenants.counties import COUNTY_CHOICES
from tenants.viewer import Viewer


class TechnicianForm(forms.ModelForm):
    counties = forms.MultipleChoiceField(
        label=_("counties covered"),
        choices=COUNTY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Technician
        fields = ("user", "home_county", "calendar", "counties", "is_active")

    def clean_user(self):
        user = self.cleaned_data["user"]
        access.forget(user)
        if not policies.works_as_technician(Viewer.of(user)):
            raise forms.ValidationError(_("The identity needs the technician role."))
        return user

    def clean_counties(self):
        return sorted(set(self.cleaned_data.get("counties") or ()))


@admin.register(Technician)
class TechnicianAdmin(admin.ModelAdmin):
    form = TechnicianForm
    list_display = ("user", "home_county", "calendar", "covered", "is_active")
    list_filter = ("is_active", "home_county")
    search_fields = ("user__username",)
    list_select_related = ("user", "calendar")

    @admin.display(description=_("counties covered"))
    def covered(self, obj):
        return ", ".join(obj.counties)


@admin.register(VisitDriver)
class VisitDriverAdmin(ReadOnlyAdmin):
    list_display = ("agency", "month", "visits", "minutes_on_site", "minutes_travel")
    list_filter = ("month",)
    list_select_related = ("agency",)
