from typing import Any

# Import the second-factor plugins' admin modules first (they register after this app in
# INSTALLED_APPS), so that their registrations can be replaced below.
import django_otp.plugins.otp_static.admin
import django_otp.plugins.otp_totp.admin  # noqa: F401
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from instroom.audit import services as audit

from . import services
from .models import ApiToken, Membership, User
from .notifications import send_notice
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
    # The language of their e-mail (also set when they switch language themselves).
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("E-mail"), {"fields": ["language"]}),
    )

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

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """An administrator may set someone's password (a new account has none to sign in
        with), but never unseen: it is audited and the owner is told."""
        response = reauth_required(super().user_change_password)(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            if user.pk != request.user.pk:
                audit.record_change(
                    actor=request.user,  # type: ignore[arg-type]  # the admin site is for signed-in staff
                    action="user.password_set",
                    obj=user,
                    changes={"user": user.username},
                )
                send_notice(users=[user], kind="account.password_set")
        return response

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
            actor=request.user,  # type: ignore[arg-type]  # the admin site is for signed-in staff
            action=action,
            obj=membership,
            region_id=membership.organisation.region_id,
            changes={
                "user": membership.user_id,
                "organisation": membership.organisation_id,
                **changes,
            },
        )


class RevokeOnlyAdmin(admin.ModelAdmin):
    """Credentials of other users: an administrator may see who has one and revoke it, but
    never make one for someone else (that would let them act as that person) nor read it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(RevokeOnlyAdmin):
    list_display = ["user", "prefix", "created_at", "last_used_at", "expires_at"]
    fields = ["user", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__username", "prefix"]
    list_select_related = ["user"]

    @admin.display(description=_("valid until"))
    def expires_at(self, obj: ApiToken) -> Any:
        return obj.expires_at

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        services.api_token_revoke(actor=request.user, token=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.select_related("user"):
            self.delete_model(request, token)


class SecondFactorAdmin(RevokeOnlyAdmin):
    """Who has a second factor, without its secret (the TOTP key, the recovery codes).
    Removing one lets a user who lost their phone and codes set up a new one; it is audited."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record_change(
            actor=request.user,  # type: ignore[arg-type]  # the admin site is for signed-in staff
            action="otp.remove",
            obj=obj.user,
            changes={"device": obj._meta.label_lower, "user": obj.user.username},
        )
        super().delete_model(request, obj)
        send_notice(users=[obj.user], kind="account.second_factor_removed")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for device in queryset.select_related("user"):
            self.delete_model(request, device)


for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, SecondFactorAdmin)
