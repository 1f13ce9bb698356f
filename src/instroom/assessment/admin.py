from django.contrib import admin

from .models import Session, TableMember


@admin.register(TableMember)
class TableMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "table", "is_chair", "active"]
    list_filter = ["table__region", "table"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["table", "starts_at", "status"]
    list_filter = ["table__region", "status"]
    readonly_fields = ["status", "closed_at", "agenda_published_at"]
