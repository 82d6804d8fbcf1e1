"""Licence pools in the central Django admin (the central host's `admin.site`).

- A pool's page edits the pool and each agency's quota, written by the pool actions as in the
  API (`create_pool` or `update_pool`, `set_quota`, `delete_pool`: their rules on the form's
  fields, their audit events). The seat counters (held, assigned) are read-only here: only the
  seat accounting (services/licences/pool_accounting.py) changes them, and a quota's action
  writes the quota column alone, with the pool locked, so it never overwrites a counter.
- The pool's page links to a CSV upload of the vendor's usage report, which calls
  `reconciliation.import_usage` (same rules and permission as the GraphQL mutation) and shows
  every line at fault as a message.
- Usage imports, alerts and seat snapshots are records: read-only.
Lists load their related rows in their own query (list_select_related, annotations).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import ForeignKey, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.admin_actions import ActionAdmin, ActionForm
from config.readonly_admin import ReadOnlyAdmin, ReadOnlyInline
from services.licences import actions, compliance, reconciliation
from services.licences import pool_accounting as seats
from services.licences.models import (
    AgencyQuota,
    LicenceAlert,
    LicencePool,
    SeatSnapshot,
    UsageCount,
    UsageImport,
)
from tenants.models import Agency, User

# --- pools and quotas ------------------------------------------------------------------------


class PoolForm(ActionForm):
    """A pool's terms, checked by the pool actions' rules."""

    validate = staticmethod(actions.validate_pool)

    class Meta:
        model = LicencePool
        fields = tuple(field.removesuffix("_id") for field in actions.POOL_FIELDS)

    def action_values(self) -> dict[str, Any]:
        # the Meta's fields: the admin's form also names the page's read-only ones
        values = {field: self.cleaned_data.get(field) for field in PoolForm.Meta.fields}
        values["supplier_id"] = getattr(values.pop("supplier"), "pk", None)
        values["offering_id"] = getattr(values.pop("offering"), "pk", None)
        return values


class QuotaFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if self.instance.pk is not None:
            # Held until the admin's transaction ends: no quota changes meanwhile elsewhere.
            seats.lock_pool(self.instance.pk)
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        for f in kept:
            if f.instance.pk is not None and "agency" in f.changed_data:
                raise ValidationError(
                    _("A quota's agency cannot change: set this quota to 0 and add a new one.")
                )
        total = sum(f.cleaned_data.get("quota_seats") or 0 for f in kept)
        try:
            actions.check_quota_total(self.instance, total)  # the rule set_quota keeps
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def changed_quotas(self) -> tuple[list[forms.ModelForm], list[forms.ModelForm]]:
        """The changed quota forms: those lowered, then the others (both lowest first)."""
        changed = [f for f in self.forms if f.cleaned_data and f.has_changed()]
        changed.sort(key=quota_change)
        lowered = [f for f in changed if quota_change(f) < 0]
        return lowered, changed[len(lowered) :]


def quota_change(form: forms.ModelForm) -> int:
    return form.cleaned_data["quota_seats"] - (form.initial.get("quota_seats") or 0)


class AgencyQuotaInline(admin.TabularInline):
    model = AgencyQuota
    formset = QuotaFormSet
    fields = ("agency", "quota_seats", "held_seats", "assigned_seats", "over_quota")
    readonly_fields = ("held_seats", "assigned_seats", "over_quota")
    extra = 0
    can_delete = False  # a quota with held seats must not vanish; set it to 0 instead

    def get_queryset(self, request: HttpRequest) -> QuerySet[AgencyQuota]:
        return super().get_queryset(request).select_related("agency")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.members().order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("over quota"))
    def over_quota(self, obj: AgencyQuota) -> int | str:
        return obj.over_quota if obj.pk else "-"


MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # some 500,000 lines: more than any pool's users


class UsageUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Usage report (CSV: email,last_used)"))

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


UPLOAD_TEMPLATE = engines["django"].from_string(
    """{% extends "admin/base_site.html" %}
{% load i18n %}
{% block breadcrumbs %}<div class="breadcrumbs">
<a href="{% url 'admin:index' %}">{% translate 'Home' %}</a>
&rsaquo; <a href="{% url 'admin:licences_licencepool_changelist' %}">
{{ opts.verbose_name_plural|capfirst }}</a>
&rsaquo; <a href="{% url 'admin:licences_licencepool_change' original.pk %}">{{ original }}</a>
&rsaquo; {{ title }}
</div>{% endblock %}
{% block content %}
<p>{{ help }}</p>
<form method="post" enctype="multipart/form-data">{% csrf_token %}
{{ form.as_p }}
<input type="submit" class="default" value="{{ submit }}">
</form>
{% endblock %}"""
)


@admin.register(LicencePool)
class LicencePoolAdmin(ActionAdmin):
    """Writes through the pool actions, as the API does: `create_pool` or `update_pool` with
    `set_quota` for each changed quota, and `delete_pool`."""

    form = PoolForm
    list_display = (
        "product",
        "supplier",
        "total_seats",
        "held",
        "assigned",
        "renewal_on",
        "true_up_allowed",
    )
    list_select_related = ("supplier", "offering")
    list_filter = ("true_up_allowed", ("renewal_on", admin.DateFieldListFilter))
    search_fields = ("product", "supplier__name")
    readonly_fields = ("position", "usage_upload")
    inlines = [AgencyQuotaInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LicencePool]:
        return compliance.with_pool_position(super().get_queryset(request))

    @admin.display(description=gettext_lazy("held"), ordering="_c_held")
    def held(self, obj: Any) -> int:
        return obj._c_held

    @admin.display(description=gettext_lazy("assigned"), ordering="_c_assigned")
    def assigned(self, obj: Any) -> int:
        return obj._c_assigned

    @admin.display(description=gettext_lazy("position"))
    def position(self, obj: LicencePool) -> str:
        if obj.pk is None:
            return "-"
        p = compliance.pool_position(obj)
        used = "-" if p.used is None else p.used
        return _(
            "owned %(owned)s, held %(held)s, assigned %(assigned)s, used %(used)s, "
            "over (-) or under %(over)s, true-up in use %(true_up)s"
        ) % {
            "owned": p.owned,
            "held": p.held,
            "assigned": p.assigned,
            "used": used,
            "over": p.over_or_under,
            "true_up": p.true_up_in_use,
        }

    @admin.display(description=gettext_lazy("usage report"))
    def usage_upload(self, obj: LicencePool) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:licences_licencepool_usage", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Upload a usage report (CSV)"))

    def has_delete_permission(self, request: HttpRequest, obj: LicencePool | None = None) -> bool:
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def delete_model(self, request: HttpRequest, obj: LicencePool) -> None:
        actions.delete_pool(cast(User, request.user), obj.pk)

    def save_model(self, request: HttpRequest, obj: LicencePool, form: Any, change: Any) -> None:
        pass  # written with its quotas in save_related, by the actions

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: Any) -> None:
        """The pool's terms and its quotas, each by its action (their rules, their audit):
        the lowered quotas first, then the terms, then the raised quotas, so that no step
        passes through more quotas than the pool owns (the formset checked the end state)."""
        (quotas,) = [fs for fs in formsets if isinstance(fs, QuotaFormSet)]
        # what formset.save() would report, for the admin's change message
        quotas.new_objects, quotas.changed_objects, quotas.deleted_objects = [], [], []
        lowered, raised = quotas.changed_quotas()
        values = form.action_values()
        if change:
            self.set_quotas(request, form.instance.pk, quotas, lowered)
            actions.update_pool(cast(User, request.user), form.instance.pk, via="admin", **values)
        else:
            form.instance.pk = actions.create_pool(cast(User, request.user), **values).pk
            self.set_quotas(request, form.instance.pk, quotas, lowered)  # none: all are new
        self.set_quotas(request, form.instance.pk, quotas, raised)

    def set_quotas(
        self,
        request: HttpRequest,
        pool_id: int,
        formset: QuotaFormSet,
        changed: list[forms.ModelForm],
    ) -> None:
        """Each quota through `actions.set_quota`, as in the API."""
        for f in changed:
            agency_id = f.instance.agency_id if f.instance.pk else f.cleaned_data["agency"].pk
            quota = actions.set_quota(
                cast(User, request.user),
                pool_id,
                agency_id,
                f.cleaned_data["quota_seats"],
                via="admin",
            )
            if f.instance.pk is None:
                formset.new_objects.append(quota)
            else:
                formset.changed_objects.append((quota, ["quota_seats"]))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/usage/",
                self.admin_site.admin_view(self.usage_view),  # CSRF-protected, staff only
                name="licences_licencepool_usage",
            ),
            *super().get_urls(),
        ]

    def usage_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        pool = self.get_object(request, unquote(object_id))
        if pool is None:
            return self._get_obj_does_not_exist_redirect(  # type: ignore[attr-defined]
                request, self.opts, object_id
            )
        if not self.has_view_or_change_permission(request, pool):
            raise PermissionDenied
        form = UsageUploadForm(request.POST or None, request.FILES or None)
        imported = (
            request.method == "POST"
            and form.is_valid()
            and self._import(request, pool, form.cleaned_data["file"])
        )
        if imported:
            return HttpResponseRedirect(
                reverse("admin:licences_licencepool_change", args=[pool.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": pool,
            "form": form,
            "title": _("Usage report for %(pool)s") % {"pool": pool.product},
            "help": _(
                "A CSV file with the header email,last_used and one line per user, dates "
                "YYYY-MM-DD. A file with any bad line is refused whole and changes nothing."
            ),
            "submit": _("Import"),
        }
        return TemplateResponse(request, UPLOAD_TEMPLATE, context)

    def _import(self, request: HttpRequest, pool: LicencePool, upload: UploadedFile) -> bool:
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            messages.error(request, _("The file is not UTF-8 text."))
            return False
        try:
            result = reconciliation.import_usage(cast(User, request.user), pool.pk, text)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return False
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for message in errors:
                    messages.error(request, message)
            return False
        messages.success(
            request,
            _(
                "Usage report imported: %(rows)s lines, %(matched)s matched, %(unassigned)s "
                "used without a seat."
            )
            % {
                "rows": result.rows,
                "matched": result.matched,
                "unassigned": result.used_unassigned,
            },
        )
        for a in result.per_agency:
            messages.info(
                request,
                _(
                    "%(agency)s: %(used)s used, %(unused)s unused for %(days)s days, "
                    "%(over)s over quota."
                )
                % {
                    "agency": a.agency.name,
                    "used": a.used,
                    "unused": a.assigned_unused,
                    "days": result.unused_days,
                    "over": a.over_quota,
                },
            )
        return True


# --- records: read-only ----------------------------------------------------------------------


class UsageCountInline(ReadOnlyInline):
    model = UsageCount
    fields = ("agency", "matched", "used_seats", "assigned_unused_seats", "unused_days")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[UsageCount]:
        return super().get_queryset(request).select_related("agency")


@admin.register(UsageImport)
class UsageImportAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "pool", "imported_by", "rows", "matched", "used_unassigned")
    list_select_related = ("pool", "imported_by")
    list_filter = ("pool",)
    inlines = [UsageCountInline]


@admin.register(LicenceAlert)
class LicenceAlertAdmin(ReadOnlyAdmin):
    list_display = ("raised_at", "kind", "pool", "agency", "key")
    list_select_related = ("pool", "agency")
    list_filter = ("kind",)


@admin.register(SeatSnapshot)
class SeatSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("month", "pool", "agency", "held_seats", "assigned_seats")
    list_select_related = ("pool", "agency")
    list_filter = ("month",)
