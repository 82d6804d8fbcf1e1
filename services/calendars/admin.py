"""Business calendars in the central Django admin: a calendar's page edits its opening hours
(at most one row per weekday) and its closures inline, and its eves through one choice per eve.
Every add, change and delete goes through the calendar actions (services/calendars/
actions.py), which check the models' rules and record it in the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from services.calendars import actions
from services.calendars.models import (
    BusinessCalendar,
    Closure,
    Eve,
    EveRule,
    OpeningHours,
)
from tenants.models import Agency, User

if TYPE_CHECKING:
    from typing import TypedDict

    from django.contrib.admin.options import _FieldsetSpec
    from django_stubs_ext import WithAnnotations

    class _Counts(TypedDict):
        _open_days: int
        _closures: int


EVE_PREFIX = "eve_"


class _CalendarForm(forms.ModelForm):
    class Meta:
        model = BusinessCalendar
        fields = ("name", "time_zone", "holiday_country", "half_day_closes_at")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.close_on_eves or {}
        for eve in Eve:
            self.initial.setdefault(EVE_PREFIX + eve.value, current.get(eve.value, EveRule.NORMAL))

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())
        rules = {eve.value: data.get(EVE_PREFIX + eve.value, EveRule.NORMAL) for eve in Eve}
        self.instance.close_on_eves = {
            eve: rule for eve, rule in rules.items() if rule != EveRule.NORMAL
        }
        return data

    def action_values(self) -> dict[str, Any]:
        """The values for the calendar actions (the eves as one mapping)."""
        values = {field: self.cleaned_data.get(field) for field in _CalendarForm.Meta.fields}
        return {**values, "close_on_eves": self.instance.close_on_eves}


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
    fields = actions.OPENING_HOURS_FIELDS
    extra = 0
    max_num = 7
    ordering = ("weekday",)


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0
    ordering = ("-date",)
    fields = actions.CLOSURE_FIELDS

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
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

    def get_fieldsets(
        self, request: HttpRequest, obj: BusinessCalendar | None = None
    ) -> _FieldsetSpec:
        return [
            (None, {"fields": ("name", "time_zone", "holiday_country", "half_day_closes_at")}),
            (gettext_lazy("Eves"), {"fields": [EVE_PREFIX + eve.value for eve in Eve]}),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[BusinessCalendar]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _open_days=Count("opening_hours", distinct=True),
                _closures=Count("closures", distinct=True),
            )
        )

    @admin.display(description=gettext_lazy("open days a week"), ordering="_open_days")
    def open_days(self, obj: WithAnnotations[BusinessCalendar, _Counts]) -> int:
        return obj._open_days

    @admin.display(description=gettext_lazy("closures"), ordering="_closures")
    def closure_count(self, obj: WithAnnotations[BusinessCalendar, _Counts]) -> int:
        return obj._closures

    def save_model(
        self, request: HttpRequest, obj: BusinessCalendar, form: _CalendarForm, change: bool
    ) -> None:
        values = form.action_values()
        if change:
            actions.update_calendar(cast(User, request.user), obj.pk, via="admin", **values)
        else:
            obj.pk = actions.create_calendar(cast(User, request.user), via="admin", **values).pk

    def delete_model(self, request: HttpRequest, obj: BusinessCalendar) -> None:
        actions.delete_calendar(cast(User, request.user), obj.pk, via="admin")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[BusinessCalendar]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(
        self, request: HttpRequest, form: _CalendarForm, formset: Any, change: bool
    ) -> None:
        """The opening hours and closures: removed, added and changed by their actions (as
        formset.save() would, in that order)."""
        fields, add, update, remove = ROWS[formset.model]
        # what formset.save() would report, for the admin's change message
        formset.new_objects, formset.changed_objects = [], []
        formset.deleted_objects = [f.instance for f in formset.deleted_forms if f.instance.pk]
        for obj in formset.deleted_objects:
            remove(cast(User, request.user), obj.pk, via="admin")
        deleted = set(formset.deleted_forms)
        for f in formset.forms:
            if f in deleted or not f.has_changed():
                continue
            values = {name: row_value(f.cleaned_data.get(name)) for name in fields}
            if f.instance.pk is None:
                row = add(cast(User, request.user), form.instance.pk, via="admin", **values)
                formset.new_objects.append(row)
            else:
                row = update(cast(User, request.user), f.instance.pk, via="admin", **values)
                formset.changed_objects.append((row, f.changed_data))


# Each inline's rows: their fields, and the actions that add, update and remove one.
ROWS = {
    OpeningHours: (
        actions.OPENING_HOURS_FIELDS,
        actions.add_opening_hours,
        actions.update_opening_hours,
        actions.remove_opening_hours,
    ),
    Closure: (
        actions.CLOSURE_FIELDS,
        actions.add_closure,
        actions.update_closure,
        actions.remove_closure,
    ),
}


def row_value(value: Any) -> Any:
    """A form's value as the actions take it: a chosen row by its primary key."""
    return value.pk if isinstance(value, models.Model) else value
