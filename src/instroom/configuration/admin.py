"""What a regional administrator configures on the regional site (`site.regional_site`):
the region's settings, municipalities and their key figures, neighbourhood names,
organisations, tables and their members, quotas, affordability limits, corporation stock, and
the users of the region's organisations with their roles here. Scoped and audited by
`site.RegionScopedAdmin`; never case content."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import ManyToManyField
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from instroom.accounts.admin import ApiTokenAdmin, SecondFactorAdmin
from instroom.accounts.models import ApiToken, Membership, User
from instroom.accounts.notifications import send_notice
from instroom.accounts.two_factor import reauth_required
from instroom.assessment.models import TableMember
from instroom.audit import services as audit
from instroom.regions.constants import CareSource
from instroom.regions.models import (
    AffordabilityLimit,
    AgreedHomes,
    AssessmentTable,
    CorporationStock,
    FigureKind,
    Municipality,
    MunicipalityFigure,
    Neighbourhood,
    Organisation,
    QuotaWeight,
    QuotaYear,
    Region,
    SubRegion,
)

from .site import (
    RegionScopedAdmin,
    ScopedTabularInline,
    acts_as_superuser,
    administered_regions,
    is_own_user,
    register,
)

RELATED_ONLY = admin.RelatedOnlyFieldListFilter


class OneRegionByDefault:
    """A new object's region is the administrator's, when they administer exactly one."""

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)  # type: ignore[misc]
        regions = administered_regions(request.user)
        if len(regions) == 1 and "region" not in initial:
            initial["region"] = next(iter(regions))
        return initial


# -- the region ---------------------------------------------------------------------------------


class RegionForm(forms.ModelForm):  # type: ignore[type-arg]
    admitted_sources = forms.MultipleChoiceField(
        label=_("admitted sources"),
        choices=CareSource.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Which kinds of care clients may come from (BW, MO, youth care, other)."),
    )

    # The years the monitoring and the distribution count in (`reporting.monitoring`'s periods):
    # a start year outside them broke the region's monitoring page.
    START_YEARS = (2000, 2100)

    class Meta:
        model = Region
        fields = [
            "name",
            "start_year",
            "admitted_sources",
            "three_party_target",
            "decision_lead_time_weeks",
            "support_months",
            "cap_per_complex",
            "cap_per_neighbourhood",
            "cap_window_months",
            "retention_months",
        ]

    def clean_start_year(self) -> Any:
        year = self.cleaned_data.get("start_year")
        low, high = self.START_YEARS
        if year is not None and not low <= year <= high:
            raise forms.ValidationError(
                _("Give a year from %(low)d to %(high)d.") % {"low": low, "high": high}
            )
        return year


@register(Region)
class RegionAdmin(RegionScopedAdmin):
    """The region's own settings. Regions themselves are made and removed by the platform."""

    form = RegionForm
    list_display = [
        "name",
        "start_year",
        "decision_lead_time_weeks",
        "cap_per_complex",
        "cap_per_neighbourhood",
        "retention_months",
    ]
    fieldsets = [
        (None, {"fields": ["name", "slug", "start_year", "admitted_sources"]}),
        (
            _("Targets"),
            {"fields": ["three_party_target", "decision_lead_time_weeks", "support_months"]},
        ),
        (
            _("Concentration caps"),
            {"fields": ["cap_per_complex", "cap_per_neighbourhood", "cap_window_months"]},
        ),
        (_("Privacy"), {"fields": ["retention_months"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["slug"] if obj is not None else []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return acts_as_superuser(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return acts_as_superuser(request.user)


# -- municipalities, key figures, neighbourhoods --------------------------------------------


class KindChoices:
    """The `kind` of a figure or a weight is chosen from the region's kinds of figure."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "kind":
            from .site import scoped

            kinds = scoped(FigureKind.objects.select_related("region"), request.user)
            choices = [("", "---------")] + [
                (
                    k.slug,
                    f"{k.label} ({k.region})" if len({x.region_id for x in kinds}) > 1 else k.label,
                )
                for k in kinds.order_by("region__name", "slug")
            ]
            return forms.ChoiceField(
                label=db_field.verbose_name, choices=choices, help_text=db_field.help_text
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class FigureInline(KindChoices, ScopedTabularInline):
    model = MunicipalityFigure
    fields = ["kind", "value", "reference_date", "source", "is_estimate", "method"]


class AgreedHomesInline(ScopedTabularInline):
    model = AgreedHomes
    fields = ["year", "homes", "agreement", "source"]


@register(Municipality)
class MunicipalityAdmin(OneRegionByDefault, RegionScopedAdmin):
    list_display = ["name", "cbs_code", "sub_region", "region"]
    list_filter = [("region", RELATED_ONLY), ("sub_region", RELATED_ONLY)]
    search_fields = ["name", "cbs_code"]
    fields = ["region", "cbs_code", "name", "sub_region"]
    inlines = [FigureInline, AgreedHomesInline]


@register(SubRegion)
class SubRegionAdmin(OneRegionByDefault, RegionScopedAdmin):
    """Groups of the region's municipalities: quotas and monitoring read per sub-region, and a
    table may cover one. Which municipality belongs where is set on the municipality."""

    list_display = ["name", "slug", "region"]
    list_filter = [("region", RELATED_ONLY)]
    fields = ["region", "slug", "name"]


@register(FigureKind)
class FigureKindAdmin(OneRegionByDefault, RegionScopedAdmin):
    """The kinds of figure the region keeps per municipality; any of them may weigh in the
    key. The code cannot change once figures refer to it."""

    list_display = ["label", "slug", "description", "region"]
    list_filter = [("region", RELATED_ONLY)]
    fields = ["region", "slug", "name", "description"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["region", "slug"] if obj is not None else []


@register(Neighbourhood)
class NeighbourhoodAdmin(RegionScopedAdmin):
    """CBS districts and neighbourhoods: their figures come from CBS, their names from the
    administrator."""

    list_display = ["cbs_code", "name", "municipality", "level"]
    list_filter = [("municipality", RELATED_ONLY), "level"]
    list_editable = ["name"]
    search_fields = ["cbs_code", "name"]
    fields = [
        "municipality",
        "cbs_code",
        "level",
        "name",
        "population",
        "housing_stock",
        "reference_date",
        "source",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        return [f for f in self.fields if f != "name"]


# -- organisations, tables -------------------------------------------------------------------


@register(Organisation)
class OrganisationAdmin(OneRegionByDefault, RegionScopedAdmin):
    list_display = ["name", "type", "region", "active"]
    list_filter = [("region", RELATED_ONLY), "type", "active"]
    search_fields = ["name"]
    # Check boxes rather than Django's two-list widget, whose markup fails accessibility checks.
    formfield_overrides = {ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    fields = [
        "region",
        "slug",
        "name",
        "type",
        "municipalities",
        "coverage_source",
        "represents",
        "provides_residential_care",
        "provides_ambulant_support",
        "sso_email_domain",
        "active",
    ]


class TableMemberInline(ScopedTabularInline):
    model = TableMember
    fields = ["user", "is_chair", "active"]


@register(AssessmentTable)
class AssessmentTableAdmin(OneRegionByDefault, RegionScopedAdmin):
    list_display = ["name", "region"]
    list_filter = [("region", RELATED_ONLY)]
    formfield_overrides = {ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    fields = ["region", "slug", "name", "sub_region", "municipalities"]
    inlines = [TableMemberInline]


# -- quotas, limits, stock ---------------------------------------------------------------------


class WeightFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """A year's weights add up to exactly 1, and weigh each kind once."""

    def clean(self) -> None:
        super().clean()
        total = Decimal(0)
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            kind = str(data.get("kind"))
            if kind in seen:
                raise forms.ValidationError(_("Each figure weighs in the key once."))
            seen.add(kind)
            total += data.get("weight") or 0
        if total != 1:
            raise forms.ValidationError(
                _("The weights of the key add up to %(total)s: together they must be 1.")
                % {"total": total}
            )


class QuotaWeightInline(KindChoices, ScopedTabularInline):
    model = QuotaWeight
    formset = WeightFormSet
    fields = ["kind", "weight"]
    min_num = 1


@register(QuotaYear)
class QuotaYearAdmin(OneRegionByDefault, RegionScopedAdmin):
    list_display = [
        "region",
        "year",
        "total_homes",
        "key_weights",
        "method",
        "carry_over",
        "catch_up_limit_percent",
    ]
    list_filter = [("region", RELATED_ONLY)]
    inlines = [QuotaWeightInline]

    @admin.display(description=_("weights of the key"))
    def key_weights(self, obj: QuotaYear) -> str:
        return "; ".join(str(w) for w in obj.weights.all())


@register(AffordabilityLimit)
class AffordabilityLimitAdmin(OneRegionByDefault, RegionScopedAdmin):
    list_display = ["region", "year", "household_type", "income_limit_eur", "rent_cap_eur"]
    list_filter = [("region", RELATED_ONLY), "year"]


@register(CorporationStock)
class CorporationStockAdmin(RegionScopedAdmin):
    list_display = ["corporation", "municipality", "homes", "reference_date", "is_estimate"]
    list_filter = [("corporation", RELATED_ONLY), ("municipality", RELATED_ONLY)]


# -- users and their roles ---------------------------------------------------------------------


class MembershipInline(ScopedTabularInline):
    """The user's roles in the administrator's region(s); roles elsewhere are not shown."""

    model = Membership
    fields = ["organisation", "role", "active"]

    def get_min_num(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        # A new user needs a role here: without one they would not be of this region at all.
        return 1 if obj is None and not acts_as_superuser(request.user) else 0

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        return super().get_formset(request, obj, validate_min=True, **kwargs)


# What of a user the regional site shows: never the password (hash), superuser or staff flags,
# groups or Django permissions.
USER_FIELDS = ["username", "first_name", "last_name", "email", "language", "is_active"]


@register(User)
class RegionalUserAdmin(RegionScopedAdmin, UserAdmin):  # type: ignore[misc]
    """The users of the region's organisations. Adding one asks for a role here; changing
    one asks for the password again. A user who also works in another region keeps their name,
    address and password: here only their roles in this region change (`is_own_user`)."""

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["is_active"]
    fieldsets = (
        (None, {"fields": ["username"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "language"]}),
        (_("Access"), {"fields": ["is_active"]}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    )
    filter_horizontal = ()

    def lookup_allowed(self, lookup: str, value: Any, request: HttpRequest) -> bool:
        """Filters in the address only on what the site shows of a user: `?is_superuser=1`
        or `?last_login__lt=` would tell what it keeps from the administrator."""
        return lookup.split("__")[0] in USER_FIELDS and super().lookup_allowed(
            lookup, value, request
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not is_own_user(request, obj):
            return USER_FIELDS
        return []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A user leaves by being made inactive: their name stays with what they did.
        return acts_as_superuser(request.user)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return reauth_required(super().change_view)(request, object_id, form_url, extra_context)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return reauth_required(super().add_view)(request, form_url, extra_context)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Setting a password (a new account has none to sign in with): for the users the
        administrator answers for alone; audited, and the owner is told."""
        user = self.get_object(request, id)
        if user is not None and not is_own_user(request, user):
            raise PermissionDenied
        response = reauth_required(super().user_change_password)(request, id, form_url)
        done = request.method == "POST" and response.status_code == 302
        if done and user is not None and user.pk != request.user.pk:
            audit.record_change(
                actor=request.user,  # type: ignore[arg-type]  # the site is for signed-in users
                action="user.password_set",
                obj=user,
                changes={"user": user.username},
            )
            send_notice(users=[user], kind="account.password_set")
        return response

    def save_formset_rows(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        formset.save()


# -- credentials: revoked here, never made nor read -----------------------------------------


@register(ApiToken)
class RegionalApiTokenAdmin(RegionScopedAdmin, ApiTokenAdmin):
    """API tokens of the region's users: who has one, and revoking it (audited by the revoke
    service as `api_token.revoke`)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        ApiTokenAdmin.delete_model(self, request, obj)


class RegionalSecondFactorAdmin(RegionScopedAdmin, SecondFactorAdmin):
    """A user's second factor, without its secret; removed (for a user who lost their phone
    and codes) only of a user the administrator answers for alone."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self._in_scope(request, obj):
            return False
        return obj is None or is_own_user(request, obj.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        SecondFactorAdmin.delete_model(self, request, obj)


for _device in (TOTPDevice, StaticDevice):
    register(_device)(RegionalSecondFactorAdmin)
