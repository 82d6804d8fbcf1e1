"""Offerings, their append-only price versions and their relations, in the admin."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from config.admin_actions import ActionAdmin, ActionForm, add_action_errors
from services.catalogue import actions
from services.catalogue.models import (
    Offering,
    OfferingPrice,
    OfferingRelation,
    RelationKind,
)
from tenants.models import User


class PriceForm(forms.ModelForm):
    class Meta:
        model = OfferingPrice
        fields = ("valid_from", "monthly_ore", "one_off_ore")

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())
        offering = data.get("offering") or getattr(self.instance, "offering", None)
        if (
            self.instance.pk is None
            and offering is not None
            and offering.pk is not None
            and not self.errors
        ):
            try:
                actions.validate_new_price(
                    offering, data["valid_from"], data["monthly_ore"], data["one_off_ore"]
                )
            except ValidationError as exc:
                add_action_errors(self, exc)
        return data


class OfferingPriceInline(admin.TabularInline):
    """Versions are append-only: add a new one, never edit or delete one."""

    model = OfferingPrice
    form = PriceForm
    extra = 1
    can_delete = False
    ordering = ("-valid_from",)

    def has_change_permission(self, request: HttpRequest, obj: Offering | None = None) -> bool:
        return False


class RelationFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if self.instance.pk is None:
            return
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or data.get("other") is None:
                continue
            other, kind = data["other"], data["kind"]
            if other.pk == self.instance.pk:
                form.add_error("other", _("An offering cannot relate to itself."))
                continue
            opposite = (
                RelationKind.EXCLUDES if kind == RelationKind.REQUIRES else RelationKind.REQUIRES
            )
            clash = OfferingRelation.objects.filter(
                Q(offering=self.instance, other=other) | Q(offering=other, other=self.instance),
                kind=opposite,
            ).exclude(pk=form.instance.pk)
            if clash.exists():
                form.add_error(
                    "kind", _("These offerings cannot both require and exclude each other.")
                )


class OfferingRelationInline(admin.TabularInline):
    """Relations are added or removed (by the relation actions), never edited in place."""

    model = OfferingRelation
    fk_name = "offering"
    formset = RelationFormSet
    extra = 0
    autocomplete_fields = ("other",)

    def has_change_permission(self, request: HttpRequest, obj: Offering | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[OfferingRelation]:
        return super().get_queryset(request).select_related("offering", "other")


class OfferingForm(ActionForm):
    validate = staticmethod(actions.validate_offering)

    class Meta:
        model = Offering
        fields = actions.OFFERING_FIELDS


@admin.register(Offering)
class OfferingAdmin(ActionAdmin):
    """Writes through the offering actions, as the API does: the offering, new price versions
    (`add_price`) and its requirements and exclusions (`set_relation`, `remove_relation`)."""

    form = OfferingForm
    create, update = staticmethod(actions.create_offering), staticmethod(actions.update_offering)
    list_display = (
        "code",
        "name",
        "service",
        "security_level",
        "availability_level",
        "price_model",
        "agreement",
        "lifecycle",
    )
    list_filter = (
        "lifecycle",
        "price_model",
        "security_level",
        "availability_level",
        "service__category",
        "agreement__kind",
    )
    list_select_related = ("service", "agreement")
    search_fields = ("code", "name", "service__name")
    autocomplete_fields = ("service", "agreement")
    inlines = (OfferingPriceInline, OfferingRelationInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Offering]:
        # Offering.__str__ names the service: autocomplete and lists need it joined. (A
        # select_related here makes the change list skip list_select_related: name all.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    def save_formset(
        self, request: HttpRequest, form: OfferingForm, formset: Any, change: bool
    ) -> None:
        offering, user = form.instance.pk, cast(User, request.user)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            data = row.cleaned_data
            if not data:
                continue
            if row in formset.deleted_forms:
                if row.instance.pk:
                    actions.remove_relation(
                        user, offering, row.instance.other_id, row.instance.kind
                    )
                    formset.deleted_objects.append(row.instance)
            elif row.instance.pk is None and row.has_changed():
                new: OfferingPrice | OfferingRelation
                if formset.model is OfferingPrice:
                    new = actions.add_price(
                        user,
                        offering,
                        valid_from=data["valid_from"],
                        monthly_ore=data["monthly_ore"],
                        one_off_ore=data.get("one_off_ore") or 0,
                    )
                else:
                    new = actions.set_relation(user, offering, data["other"].pk, data["kind"])
                formset.new_objects.append(new)


@admin.register(OfferingPrice)
class OfferingPriceAdmin(ActionAdmin):
    """Adds price versions through `add_price`; versions are never changed or deleted."""

    form = PriceForm
    list_display = ("offering", "valid_from", "monthly_ore", "one_off_ore")
    list_filter = (("valid_from", admin.DateFieldListFilter),)
    list_select_related = ("offering", "offering__service")
    search_fields = ("offering__code", "offering__name")
    autocomplete_fields = ("offering",)
    date_hierarchy = "valid_from"

    def get_fields(self, request: HttpRequest, obj: OfferingPrice | None = None) -> tuple[str, ...]:
        return ("offering", "valid_from", "monthly_ore", "one_off_ore")

    def has_change_permission(self, request: HttpRequest, obj: OfferingPrice | None = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: OfferingPrice, form: PriceForm, change: bool
    ) -> None:
        data = form.cleaned_data
        saved = actions.add_price(
            cast(User, request.user),
            data["offering"].pk,
            valid_from=data["valid_from"],
            monthly_ore=data["monthly_ore"],
            one_off_ore=data.get("one_off_ore") or 0,
        )
        obj.pk = saved.pk


@admin.register(OfferingRelation)
class OfferingRelationAdmin(ActionAdmin):
    """Adds and removes requirements and exclusions through the relation actions."""

    list_display = ("offering", "kind", "other")
    list_filter = ("kind",)
    list_select_related = ("offering", "offering__service", "other", "other__service")
    search_fields = ("offering__code", "offering__name", "other__code", "other__name")
    autocomplete_fields = ("offering", "other")

    def has_change_permission(
        self, request: HttpRequest, obj: OfferingRelation | None = None
    ) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(
        self, request: HttpRequest, obj: OfferingRelation | None = None
    ) -> bool:
        return self.has_view_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: OfferingRelation, form: Any, change: bool
    ) -> None:
        saved = actions.set_relation(
            cast(User, request.user), obj.offering_id, obj.other_id, obj.kind
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: OfferingRelation) -> None:
        actions.remove_relation(cast(User, request.user), obj.offering_id, obj.other_id, obj.kind)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OfferingRelation]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
