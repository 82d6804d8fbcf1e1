"""Services in the admin: written through the service actions (lifecycle rules, retiring
their offerings)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.admin_actions import ActionAdmin, ActionForm
from services.catalogue import actions
from services.catalogue.models import (
    Service,
)

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _Counts(TypedDict):
        _offerings: int


class ServiceForm(ActionForm):
    """The service's fields, checked by the rules of the actions (a retired service stays
    retired; a new one is planned or active) before anything is written."""

    validate = staticmethod(actions.validate_service)

    class Meta:
        model = Service
        fields = actions.SERVICE_FIELDS


@admin.register(Service)
class ServiceAdmin(ActionAdmin):
    """Writes through `create_service` and `update_service`, as the API does: retiring a
    service here retires its offerings, and both are audited by the actions."""

    form = ServiceForm
    create, update = staticmethod(actions.create_service), staticmethod(actions.update_service)
    list_display = ("name", "category", "owner", "lifecycle", "offering_count")
    list_filter = ("category", "lifecycle", "suppliers")
    search_fields = ("name", "description", "owner")
    filter_horizontal = ("suppliers",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Service]:
        return super().get_queryset(request).annotate(_offerings=Count("offerings"))

    @admin.display(description=gettext_lazy("offerings"), ordering="_offerings")
    def offering_count(self, obj: WithAnnotations[Service, _Counts]) -> int:
        return obj._offerings

    def save_related(
        self, request: HttpRequest, form: ServiceForm, formsets: list[Any], change: bool
    ) -> None:
        for formset in formsets:  # the suppliers were set by the action
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Service) -> None:
        raise PermissionDenied(_("Retire a service instead of deleting it."))

    def has_delete_permission(self, request: HttpRequest, obj: Service | None = None) -> bool:
        return False
