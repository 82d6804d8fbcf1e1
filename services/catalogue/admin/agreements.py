"""Suppliers, and agreements (OLAs and SLAs) with their four targets, in the admin: written
through the supplier and agreement actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from config.admin_actions import ActionAdmin, ActionForm
from config.readonly_admin import ReadOnlyAdmin
from services.catalogue import actions
from services.catalogue.models import (
    Agreement,
    AgreementTarget,
    Supplier,
)
from tenants.models import User

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _Counts(TypedDict):
        _agreements: int


class SupplierForm(ActionForm):
    validate = staticmethod(actions.validate_supplier)

    class Meta:
        model = Supplier
        fields = actions.SUPPLIER_FIELDS


@admin.register(Supplier)
class SupplierAdmin(ActionAdmin):
    """Writes through `create_supplier` and `update_supplier`, as the API does."""

    form = SupplierForm
    create, update = staticmethod(actions.create_supplier), staticmethod(actions.update_supplier)
    list_display = ("name", "is_internal", "org_number", "contract_ends_on", "agreement_count")
    list_filter = ("is_internal", ("contract_ends_on", admin.DateFieldListFilter))
    search_fields = ("name", "org_number", "contract_reference")
    ordering = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Supplier]:
        return super().get_queryset(request).annotate(_agreements=Count("agreements"))

    @admin.display(description=gettext_lazy("agreements"), ordering="_agreements")
    def agreement_count(self, obj: WithAnnotations[Supplier, _Counts]) -> int:
        return obj._agreements


class TargetFormSet(BaseInlineFormSet):
    """The four targets, checked by the agreement actions' rules."""

    def clean(self) -> None:
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


class AgreementForm(ActionForm):
    validate = staticmethod(lambda values, _agreement: actions.validate_agreement(values))

    class Meta:
        model = Agreement
        fields = ("name", "kind", "supplier", "availability_percent", "support_hours")


@admin.register(Agreement)
class AgreementAdmin(ActionAdmin):
    """Writes through `create_agreement` and `update_agreement`, targets included, as the API
    does: their rules are checked before anything is written, and the actions audit."""

    form = AgreementForm
    list_display = ("name", "kind", "supplier", "availability_percent", "support_hours")
    list_filter = ("kind", "supplier")
    list_select_related = ("supplier",)
    search_fields = ("name", "supplier__name")
    autocomplete_fields = ("supplier",)
    inlines = (AgreementTargetInline,)

    def save_model(
        self, request: HttpRequest, obj: Agreement, form: AgreementForm, change: bool
    ) -> None:
        pass  # written with its targets in save_related, by the action

    def save_related(
        self,
        request: HttpRequest,
        form: AgreementForm,
        formsets: list[BaseInlineFormSet],
        change: bool,
    ) -> None:
        (targets,) = [fs for fs in formsets if isinstance(fs, TargetFormSet)]
        values = {**form.action_values(), "targets": targets.targets()}
        # what formset.save() would report, for the admin's change message
        targets.new_objects, targets.deleted_objects = [], []
        targets.changed_objects = [
            (f.instance, f.changed_data) for f in targets.forms if f.has_changed()
        ]
        if change:
            saved = actions.update_agreement(cast(User, request.user), form.instance.pk, **values)
        else:
            saved = actions.create_agreement(cast(User, request.user), **values)
        form.instance.pk = saved.pk


@admin.register(AgreementTarget)
class AgreementTargetAdmin(ReadOnlyAdmin):
    """Targets are read here; they are changed with their agreement (all four together)."""

    list_display = ("agreement", "priority", "response_minutes", "resolution_minutes")
    list_filter = ("priority", "agreement__kind")
    list_select_related = ("agreement",)
    search_fields = ("agreement__name",)
