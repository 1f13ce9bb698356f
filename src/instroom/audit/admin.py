from typing import Any

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log can be looked at, never changed."""

    list_display = ["at", "actor", "actor_roles", "kind", "action", "object_type", "object_id"]
    list_filter = ["kind", "action"]
    search_fields = ["action", "object_id", "actor__username"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
