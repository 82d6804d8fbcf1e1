"""Django admin: agencies, identities, grants and tokens on the central host, and the admin
site of an agency host (its own admins, its own schema)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential

from config.readonly_admin import ReadOnlyInline
from services.agencies import actions, policies
from services.agencies.tokens import revoke_api_token
from tenants.models import Agency, ApiToken, Domain, RoleGrant, User
from tenants.viewer import Viewer

admin.site.site_header = _("Samnav: central administration")
admin.site.site_title = _("Samnav")


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    readonly_fields = ("domain", "is_primary")
    can_delete = False


class AgencyProfileForm(forms.ModelForm):
    """The agency's profile, checked by its action's rules before anything is written; each
    error is shown beside its field."""

    class Meta:
        model = Agency
        fields = actions.PROFILE_FIELDS

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        if not self.errors:
            values = {f: data.get(f) for f in actions.PROFILE_FIELDS}
            try:
                actions.validate_agency_profile(values, self.instance)
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(field if field in self.fields else None, error)
        return data


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    """Onboarding, suspension and offboarding go through their actions (GraphQL and commands):
    here the identity fields are read-only, and the profile (name, levels, headcount, county)
    is saved by `update_agency_profile`, audited like every other change."""

    form = AgencyProfileForm

    list_display = (
        "name",
        "slug",
        "kind",
        "state",
        "security_level",
        "availability_level",
        "headcount",
        "is_demo",
    )
    list_filter = ("kind", "state", "is_demo")
    search_fields = ("name", "slug", "org_number")
    readonly_fields = (
        "schema_name",
        "slug",
        "kind",
        "org_number",
        "state",
        "state_reason",
        "is_demo",
        "created_at",
        "updated_at",
    )
    inlines = [DomainInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Agency | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: Any) -> None:
        values = {f: form.cleaned_data.get(f) for f in actions.PROFILE_FIELDS}
        actions.update_agency_profile(cast(User, request.user), obj.pk, values)


class RoleGrantInline(ReadOnlyInline):
    """Roles are read here. They are granted and withdrawn where their rules are kept: the
    agencies' people pages and the API (services/agencies/grants.py), or `manage.py grant_role`."""

    model = RoleGrant
    fields = ("role", "agency")


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Identities are read here: they are created and given roles by `grant_role`, the agencies'
    pages and the API, whose actions keep the rules and the audit trail."""

    list_display = ("username", "is_active", "is_staff", "date_joined")
    search_fields = ("username",)
    fields = ("username", "is_active", "is_staff", "is_superuser", "last_login", "date_joined")
    readonly_fields = fields
    inlines = [RoleGrantInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "user",
        "name",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    exclude = ("digest",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            revoke_api_token(token, actor=cast(User, request.user))  # audited


class AgencyAdminSite(admin.AdminSite):
    """The admin of an agency host: for that agency's admins, over its own schema."""

    site_header = _("Samnav: agency administration")
    site_title = _("Samnav agency")

    def has_permission(self, request: HttpRequest) -> bool:
        agency = getattr(request, "tenant", None)
        return bool(
            request.user.is_active
            and agency is not None
            and policies.administers_agency(Viewer.of(request.user, agency))
        )


agency_admin_site = AgencyAdminSite(name="agency_admin")


# django-otp's admin pages (and django-otp-webauthn's) would add and change second-factor
# devices outside our actions: not offered. A person enrols their own
# (/accounts/second-factor/enrol/).
for _model in (TOTPDevice, StaticDevice, WebAuthnCredential, WebAuthnAttestation):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
