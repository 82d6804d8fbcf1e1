"""Business calendars in the central Django admin: a calendar's page edits its opening hours
(at most one row per weekday) and its closures inline, and its eves through one choice per eve.
Every save is recorded in the audit log."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy

from services.audit.actions import record_event
from services.calendars.models import (
    BusinessCalendar,
    Closure,
    Eve,
    EveRule,
    OpeningHours,
)
from tenants.models import Agency

EVE_PREFIX = "eve_"


class _CalendarForm(forms.ModelForm):
    class Meta:
        model = BusinessCalendar
        fields = ("name", "time_zone", "holiday_country", "half_day_closes_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.close_on_eves or {}
        for eve in Eve:
            self.initial.setdefault(EVE_PREFIX + eve.value, current.get(eve.value, EveRule.NORMAL))

    def clean(self):
        data = super().clean()
        rules = {eve.value: data.get(EVE_PREFIX + eve.value, EveRule.NORMAL) for eve in Eve}
        self.instance.close_on_eves = {
            eve: rule for eve, rule in rules.items() if rule != EveRule.NORMAL
        }
        return data


# `close_on_eves` is edited as one choice per eve (declared fields, so the admin knows them);
# "normal" is left out of the JSON.
BusinessCalendarForm = type(
    "BusinessCalendarForm",
    (_CalendarForm,),
    {
        EVE_PREFIX + eve.value: forms.ChoiceField(
            label=eve.label, choices=EveRule.choices, initial=EveRule.NORMAL
        )
        for eve in Eve
    },
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    max_num = 7
    ordering = ("weekday",)


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0
    ordering = ("-date",)
    fields = ("date", "agency", "closes_at", "opens_at", "reason")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.members().order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    form = BusinessCalendarForm
    list_display = ("name", "time_zone", "holiday_country", "open_days", "closure_count")
    search_fields = ("name",)
    ordering = ("name",)
    inlines = (OpeningHoursInline, ClosureInline)

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ("name", "time_zone", "holiday_country", "half_day_closes_at")}),
            (gettext_lazy("Eves"), {"fields": [EVE_PREFIX + eve.value for eve in Eve]}),
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _open_days=Count("opening_hours", distinct=True),
                _closures=Count("closures", distinct=True),
            )
        )

    @admin.display(description=gettext_lazy("open days a week"), ordering="_open_days")
    def open_days(self, obj):
        return obj._open_days

    @admin.display(description=gettext_lazy("closures"), ordering="_closures")
    def closure_count(self, obj):
        return obj._closures

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            request.user,
            "calendars.calendar" + (".updated" if change else ".created"),
            obj,
            via="admin",
            fields=sorted(form.changed_data),
        )

    def delete_model(self, request, obj):
        record_event(request.user, "calendars.calendar.deleted", obj, via="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_event(request.user, "calendars.calendar.deleted", obj, via="admin")
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        name = formset.model._meta.model_name
        for obj in formset.deleted_objects:
            record_event(request.user, f"calendars.{name}.deleted", obj, via="admin")
            obj.delete()
        for obj in instances:
            is_new = obj.pk is None
            obj.save()
            record_event(
                request.user,
                f"calendars.{name}" + (".created" if is_new else ".updated"),
                obj,
                via="admin",
            )
        formset.save_m2m()
