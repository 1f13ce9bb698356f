"""The region's support method in the configuration site (configuration only, no case content)."""

from django.contrib import admin

from .models import ChecklistQuestion, SupportSettings


@admin.register(SupportSettings)
class SupportSettingsAdmin(admin.ModelAdmin):
    list_display = ["region", "evaluation_months", "plan_days_before", "timeout_max_days"]


@admin.register(ChecklistQuestion)
class ChecklistQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "region", "position", "kinds", "active"]
    list_filter = ["region", "active"]
    list_editable = ["position", "active"]
    ordering = ["region", "position"]
