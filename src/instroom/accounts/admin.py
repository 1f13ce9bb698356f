from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse

from instroom.audit import services as audit

from .models import Membership, User
from .two_factor import reauth_required


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class InstroomUserAdmin(UserAdmin):
    """Users and their roles. Changing roles asks for the password (and code) again, and every
    role granted, changed or revoked here is written to the audit log."""

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        view = reauth_required(super().change_view)
        return view(request, object_id, form_url, extra_context)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return reauth_required(super().add_view)(request, form_url, extra_context)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        for membership in formset.new_objects:
            self._log(request, "membership.grant", membership, {"role": membership.role})
        for membership, fields in formset.changed_objects:
            self._log(request, "membership.change", membership, {"fields": fields})
        for membership in formset.deleted_objects:
            self._log(request, "membership.revoke", membership, {"role": membership.role})

    @staticmethod
    def _log(
        request: HttpRequest, action: str, membership: Membership, changes: dict[str, Any]
    ) -> None:
        audit.record_change(
            actor=request.user,
            action=action,
            obj=membership,
            region_id=membership.organisation.region_id,
            changes={
                "user": membership.user_id,
                "organisation": membership.organisation_id,
                **changes,
            },
        )
