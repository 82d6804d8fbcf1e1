"""Django admin of the shared catalogue, for catalogue managers (staff users on the central
host). Lists load their related rows in one query; every save is recorded in the audit log.

Price versions are append-only here, as in `actions.add_price`: an order, a subscription and
every later report keep the price that was valid when it was made.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.readonly_admin import ReadOnlyAdmin
from services.audit.actions import record_event
from services.catalogue import actions
from services.catalogue.models import (
    Agreement,
    AgreementTarget,
    Offering,
    OfferingPrice,
    OfferingRelation,
    RelationKind,
    Service,
    Supplier,
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


# --- suppliers and agreements ----------------------------------------------------------------


@admin.register(Supplier)
class SupplierAdmin(AuditedAdmin):
    list_display = ("name", "is_internal", "org_number", "contract_ends_on", "agreement_count")
    list_filter = ("is_internal", ("contract_ends_on", admin.DateFieldListFilter))
    search_fields = ("name", "org_number", "contract_reference")
    ordering = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_agreements=Count("agreements"))

    @admin.display(description=gettext_lazy("agreements"), ordering="_agreements")
    def agreement_count(self, obj):
        return obj._agreements


class TargetFormSet(BaseInlineFormSet):
    """The four targets, checked by the agreement actions' rules."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            actions.validate_targets(self.targets())
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def targets(self) -> list[dict]:
        fields = ("priority", "response_minutes", "resolution_minutes")
        return [
            {field: f.cleaned_data.get(field) for field in fields}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]


class AgreementTargetInline(admin.TabularInline):
    model = AgreementTarget
    formset = TargetFormSet
    extra = 0
    min_num = 4
    max_num = 4
    ordering = ("priority",)


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ("name", "kind", "supplier", "availability_percent", "support_hours")

    def action_values(self) -> dict:
        values = {field: self.cleaned_data.get(field) for field in self.Meta.fields}
        return {**values, "supplier": getattr(values["supplier"], "pk", None)}

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                actions.validate_agreement(self.action_values())
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(field if field in self.fields else None, error)
        return data


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin):
    """Writes through `create_agreement` and `update_agreement`, targets included, as the API
    does: their rules are checked before anything is written, and the actions audit."""

    form = AgreementForm
    list_display = ("name", "kind", "supplier", "availability_percent", "support_hours")
    list_filter = ("kind", "supplier")
    list_select_related = ("supplier",)
    search_fields = ("name", "supplier__name")
    autocomplete_fields = ("supplier",)
    inlines = (AgreementTargetInline,)

    def save_model(self, request, obj, form, change):
        pass  # written with its targets in save_related, by the action

    def save_related(self, request, form, formsets, change):
        (targets,) = [fs for fs in formsets if isinstance(fs, TargetFormSet)]
        values = {**form.action_values(), "targets": targets.targets()}
        # what formset.save() would report, for the admin's change message
        targets.new_objects, targets.deleted_objects = [], []
        targets.changed_objects = [
            (f.instance, f.changed_data) for f in targets.forms if f.has_changed()
        ]
        if change:
            saved = actions.update_agreement(request.user, form.instance.pk, **values)
        else:
            saved = actions.create_agreement(request.user, **values)
        form.instance.pk = saved.pk


@admin.register(AgreementTarget)
class AgreementTargetAdmin(ReadOnlyAdmin):
    """Targets are read here; they are changed with their agreement (all four together)."""

    list_display = ("agreement", "priority", "response_minutes", "resolution_minutes")
    list_filter = ("priority", "agreement__kind")
    list_select_related = ("agreement",)
    search_fields = ("agreement__name",)


# --- services and offerings ------------------------------------------------------------------


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
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(field if field in self.fields else None, error)
        return data


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
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


class PriceForm(forms.ModelForm):
    class Meta:
        model = OfferingPrice
        fields = ("valid_from", "monthly_ore", "one_off_ore")

    def clean(self):
        data = super().clean()
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
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(field, error)
        return data


class OfferingPriceInline(admin.TabularInline):
    """Versions are append-only: add a new one, never edit or delete one."""

    model = OfferingPrice
    form = PriceForm
    extra = 1
    can_delete = False
    ordering = ("-valid_from",)

    def has_change_permission(self, request, obj=None):
        return False


class RelationFormSet(BaseInlineFormSet):
    def clean(self):
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
    model = OfferingRelation
    fk_name = "offering"
    formset = RelationFormSet
    extra = 0
    autocomplete_fields = ("other",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("offering", "other")


@admin.register(Offering)
class OfferingAdmin(AuditedAdmin):
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

    def get_queryset(self, request):
        # Offering.__str__ names the service: autocomplete and lists need it joined. (A
        # select_related here makes the change list skip list_select_related: name all.)
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(OfferingPrice)
class OfferingPriceAdmin(AuditedAdmin):
    form = PriceForm
    list_display = ("offering", "valid_from", "monthly_ore", "one_off_ore")
    list_filter = (("valid_from", admin.DateFieldListFilter),)
    list_select_related = ("offering", "offering__service")
    search_fields = ("offering__code", "offering__name")
    autocomplete_fields = ("offering",)
    date_hierarchy = "valid_from"

    def get_fields(self, request, obj=None):
        return ("offering", "valid_from", "monthly_ore", "one_off_ore")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfferingRelation)
class OfferingRelationAdmin(AuditedAdmin):
    list_display = ("offering", "kind", "other")
    list_filter = ("kind",)
    list_select_related = ("offering", "offering__service", "other", "other__service")
    search_fields = ("offering__code", "offering__name", "other__code", "other__name")
    autocomplete_fields = ("offering", "other")
