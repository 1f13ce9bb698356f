"""The configuration site of regional administrators (`/beheer/gegevens/`), scoped to their own
region(s): organisations, users and roles, tables and members, key figures, quotas, caps and
affordability limits. Never case content. Django's own site (`/admin/`) is the platform's, for
superusers only.

Who enters: an active user holding the administrator role in some region, or a superuser.
`is_staff` plays no part (it is Django's flag for `/admin/`); the administrator role is the one
fact that decides, as everywhere else in the policy. Nor do Django's model permissions: every
ModelAdmin here answers from the region(s) the user administers (`RegionScopedAdmin`):
- lists, pages, form choices and the region field hold only objects of those regions;
- another region's object answers 404 on every page of it, never a redirect that names it;
- every add, change and delete (inline rows included) is written to the audit log with the
  before and after of its plain values (`config.add`, `config.change`, `config.delete`), under
  the region it belongs to, in the same transaction as the change; never a secret.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from instroom.audit import services as audit
from instroom.policy.rules import REGIONAL_ADMIN_SITE, scope_for

if TYPE_CHECKING:
    from instroom.accounts.models import User


# -- who, where ---------------------------------------------------------------------------------


def acts_as_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def administered_regions(user: Any) -> frozenset[int]:
    """The regions whose data `user` configures here (a superuser: see `acts_as_superuser`)."""
    return scope_for(user).administered_regions


# Field names never copied into the audit log, whichever model carries them.
SECRET_FIELDS = frozenset({"password", "key", "key_hash", "bin_key", "token", "secret"})


def _is_secret(name: str) -> bool:
    return name in SECRET_FIELDS or any(w in name for w in ("password", "secret", "token"))


def _plain(value: Any) -> Any:
    """A value as the audit log keeps it (JSON): numbers, text, dates as ISO text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The plain values of `obj` as stored (its many-to-many too, once saved); no secrets."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or _is_secret(field.name):
            continue
        if field.is_relation:
            related = getattr(obj, field.name, None)
            values[field.name] = None if related is None else str(related)
        else:
            values[field.name] = _plain(field.value_from_object(obj))
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            if not _is_secret(m2m.name):
                values[m2m.name] = sorted(str(o) for o in getattr(obj, m2m.name).all())
    return values


def stored_snapshot(obj: models.Model) -> dict[str, Any]:
    """`snapshot` of the row as the database holds it now (before a form's changes)."""
    if obj.pk is None:
        return {}
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return snapshot(stored) if stored is not None else {}


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    names = list(before) + [n for n in after if n not in before]
    return {
        name: [before.get(name), after.get(name)]
        for name in names
        if before.get(name) != after.get(name)
    }


def _follow(obj: Any, path: str) -> Any:
    for step in path.split("__"):
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return obj


# -- the site -----------------------------------------------------------------------------------


def _no_view_on_site(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Django's "view on site" jumps to any object of any kind by its id; not here."""
    raise Http404


OTP_APP_NAMES = {
    "otp_totp": (_("Second factor: authenticator app"), _("Authenticator apps")),
    "otp_static": (_("Second factor: recovery codes"), _("Recovery code sets")),
}


class RegionalAdminSite(AdminSite):
    site_header = _("Instroom — regional administration")
    site_title = _("Instroom — regional administration")
    index_title = _("The data of your region")
    site_url = "/"

    def has_permission(self, request: HttpRequest) -> bool:
        """Active administrators of some region and superusers; `is_staff` is not asked."""
        user = request.user
        return bool(user.is_active) and REGIONAL_ADMIN_SITE.allows(user)

    def _build_app_dict(self, request: HttpRequest, label: Any = None) -> Any:
        """Django's, with the second-factor apps named in the reader's language: django_otp
        names them "Otp_Totp" / "TOTP devices" in English only."""
        built = super()._build_app_dict(request, label)
        for app in built.values():
            if app.get("app_label") in OTP_APP_NAMES:
                app_name, model_name = OTP_APP_NAMES[app["app_label"]]
                app["name"] = app_name
                for model in app.get("models", []):
                    model["name"] = model_name
        return built

    def get_urls(self) -> list[URLResolver | URLPattern]:
        """Django's, with every pattern named (the policy's table and the access matrix key
        on names): the catch-all (a 404 for administrators) becomes `catch_all`."""
        urls = super().get_urls()
        for i, pattern in enumerate(urls):
            if not isinstance(pattern, URLPattern):
                continue
            if pattern.name == "view_on_site":
                urls[i] = URLPattern(pattern.pattern, _no_view_on_site, name="view_on_site")
            elif pattern.name is None:
                urls[i] = URLPattern(pattern.pattern, pattern.callback, name="catch_all")
        return urls


regional_site = RegionalAdminSite(name="regional_admin")


# -- the scoped, audited ModelAdmin --------------------------------------------------------------


# How each configured model reaches its region (a lookup path ending in the Region, "" for the
# Region itself). Form choices of these models are limited to the user's regions.
def region_paths() -> dict[type[models.Model], str]:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from instroom.accounts.models import ApiToken, Membership, User
    from instroom.assessment.models import TableMember
    from instroom.regions import models as regions

    return {
        regions.Region: "",
        regions.Municipality: "region",
        regions.SubRegion: "region",
        regions.FigureKind: "region",
        regions.MunicipalityFigure: "municipality__region",
        regions.AgreedHomes: "municipality__region",
        regions.Neighbourhood: "municipality__region",
        regions.Organisation: "region",
        regions.AssessmentTable: "region",
        regions.QuotaYear: "region",
        regions.QuotaWeight: "quota_year__region",
        regions.AffordabilityLimit: "region",
        regions.CorporationStock: "corporation__region",
        TableMember: "table__region",
        Membership: "organisation__region",
        User: "memberships__organisation__region",
        ApiToken: "user__memberships__organisation__region",
        TOTPDevice: "user__memberships__organisation__region",
        StaticDevice: "user__memberships__organisation__region",
    }


def scoped(queryset: models.QuerySet[Any], user: Any) -> models.QuerySet[Any]:
    """The rows of `queryset` that belong to a region `user` administers (all, a superuser)."""
    if acts_as_superuser(user):
        return queryset
    path = region_paths().get(queryset.model)
    if path is None:
        return queryset.none()
    lookup = f"{path}__in" if path else "pk__in"
    filtered = queryset.filter(**{lookup: administered_regions(user)})
    # A user or a credential reaches its regions through several memberships: once each.
    return filtered.distinct() if "memberships" in path else filtered


def regions_of(obj: models.Model) -> set[int]:
    """The region(s) `obj` belongs to, read from the database where it spans several."""
    path = region_paths().get(type(obj), None)
    if path is None:
        return set()
    if path == "":
        return {obj.pk} if obj.pk is not None else set()
    if "memberships" in path and obj.pk is not None:
        manager = type(obj)._default_manager
        return set(
            manager.filter(pk=obj.pk)
            .exclude(**{f"{path}__isnull": True})
            .values_list(path, flat=True)
        )
    region = _follow(obj, path)
    return {region.pk} if region is not None else set()


class ScopedInlineMixin:
    """An inline (of a scoped ModelAdmin): its rows and choices within the user's regions."""

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return scoped(super().get_queryset(request), request.user)  # type: ignore[misc]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        return _limited_foreignkey(super(), db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        return _limited_manytomany(super(), db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return regional_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return regional_site.has_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return regional_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return regional_site.has_permission(request)


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):  # type: ignore[type-arg]
    extra = 0


def _limited_foreignkey(parent: Any, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
    model = db_field.related_model
    if model in region_paths() and "queryset" not in kwargs:
        kwargs["queryset"] = scoped(model._default_manager.all(), request.user)
    return parent.formfield_for_foreignkey(db_field, request, **kwargs)


def _limited_manytomany(parent: Any, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
    model = db_field.related_model
    if model in region_paths() and "queryset" not in kwargs:
        kwargs["queryset"] = scoped(model._default_manager.all(), request.user)
    return parent.formfield_for_manytomany(db_field, request, **kwargs)


class RegionScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin of the regional site: scoped to the user's regions and audited."""

    view_on_site = False
    # Filters list only values present in the (scoped) list, never another region's.
    related_filter = admin.RelatedOnlyFieldListFilter

    def lookup_allowed(self, lookup: str, value: Any, request: HttpRequest) -> bool:
        """No filter in the address on a secret (`?key__startswith=` on second factors would
        tell a TOTP secret character by character), on any model of this site."""
        if any(_is_secret(part) for part in lookup.split("__")):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_urls(self) -> list[URLPattern]:
        # Without Django's unnamed "<id>/" → "<id>/change/" redirect: every page is named.
        return [p for p in super().get_urls() if p.name]

    # -- scope --

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return scoped(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        return _limited_foreignkey(super(), db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        return _limited_manytomany(super(), db_field, request, **kwargs)

    def _in_scope(self, request: HttpRequest, obj: Any) -> bool:
        if not self.admin_site.has_permission(request):
            return False
        if obj is None or acts_as_superuser(request.user):
            return True
        return bool(regions_of(obj) & administered_regions(request.user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._in_scope(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._in_scope(request, obj)

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> HttpResponse:
        # Django redirects with "does not exist, perhaps it was deleted"; another region's
        # object is simply not found.
        raise Http404

    def get_deleted_objects(self, objs: Iterable[Any], request: HttpRequest) -> Any:
        """What a delete takes with it, as counts per kind: the list would otherwise name
        linked records, which can be case content (a client of an organisation)."""
        objs = list(objs)
        _deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        summary: list[Any] = [str(o) for o in objs]
        summary += [f"{name}: {count}" for name, count in model_count.items()]
        if protected:
            protected = [
                ngettext(
                    "%(count)d linked record (for example a case) keeps it in use.",
                    "%(count)d linked records (for example cases) keep it in use.",
                    len(protected),
                )
                % {"count": len(protected)}
            ]
        return summary, model_count, perms_needed, protected

    # -- audit --

    def _record(
        self, request: HttpRequest, action: str, obj: models.Model, fields: dict[str, Any]
    ) -> None:
        regions = regions_of(obj)
        mine = sorted(regions & administered_regions(request.user)) or sorted(regions)
        audit.record_change(
            actor=request.user,  # type: ignore[arg-type]  # the site is for signed-in users
            action=action,
            obj=obj,
            region_id=mine[0] if mine else None,
            changes={"model": obj._meta.label, "object": str(obj), "fields": fields},
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj._config_before = stored_snapshot(obj) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        fields = differences(getattr(obj, "_config_before", {}), snapshot(obj))
        if fields or not change:
            self._record(request, "config.change" if change else "config.add", obj, fields)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._record(request, "config.delete", obj, differences(snapshot(obj), {}))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        before = {f.instance.pk: stored_snapshot(f.instance) for f in formset.initial_forms}
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is not None:
                self._record(
                    request,
                    "config.delete",
                    deleted.instance,
                    differences(before.get(deleted.instance.pk, {}), {}),
                )
        self.save_formset_rows(request, form, formset, change)
        for obj in formset.new_objects:
            self._record(request, "config.add", obj, differences({}, snapshot(obj)))
        for obj, _names in formset.changed_objects:
            fields = differences(before.get(obj.pk, {}), snapshot(obj))
            if fields:
                self._record(request, "config.change", obj, fields)

    def save_formset_rows(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        super().save_formset(request, form, formset, change)


def register(*models_: type[models.Model]) -> Callable[[type[admin.ModelAdmin]], Any]:  # type: ignore[type-arg]
    return admin.register(*models_, site=regional_site)


def is_own_user(request: HttpRequest, user: User) -> bool:
    """A user the administrator answers for alone: every membership of theirs lies in a region
    the administrator configures, and they are no superuser. Their name, e-mail address,
    password and second factor are the administrator's to change; a user who also works in
    another region keeps those, and only their roles here are changed here."""
    if acts_as_superuser(request.user):
        return True
    if user.pk is None:
        return True
    if user.is_superuser:
        return False
    mine = administered_regions(request.user)
    return not user.memberships.exclude(organisation__region_id__in=mine).exists()
