from django.contrib import admin

from config.readonly_admin import ReadOnlyAdmin
from services.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "object_type", "object_id", "agency", "actor")
    list_filter = ("action", "object_type")
    list_select_related = ("agency", "actor")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
