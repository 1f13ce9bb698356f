from django.contrib import admin

from . import models


class FigureInline(admin.TabularInline):
    model = models.MunicipalityFigure
    extra = 0


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "start_year", "is_fictional"]


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "region"]
    list_filter = ["region"]
    inlines = [FigureInline]


@admin.register(models.Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["cbs_code", "name", "municipality", "population", "housing_stock"]
    list_filter = ["municipality__region", "municipality"]
    list_editable = ["name"]
    search_fields = ["cbs_code", "name"]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "region", "active"]
    list_filter = ["region", "type"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]


@admin.register(models.AssessmentTable)
class AssessmentTableAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    filter_horizontal = ["municipalities"]


@admin.register(models.QuotaYear)
class QuotaYearAdmin(admin.ModelAdmin):
    list_display = [
        "region",
        "year",
        "total_homes",
        "method",
        "carry_over",
        "catch_up_limit_percent",
    ]
    list_filter = ["region"]


class QuotaWeightInline(admin.TabularInline):
    model = models.QuotaWeight
    extra = 0


QuotaYearAdmin.inlines = [QuotaWeightInline]


@admin.register(models.SubRegion)
class SubRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "region"]


@admin.register(models.FigureKind)
class FigureKindAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "region"]


@admin.register(models.AgreedHomes)
class AgreedHomesAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "homes", "agreement"]


@admin.register(models.AffordabilityLimit)
class AffordabilityLimitAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "household_type", "income_limit_eur", "rent_cap_eur"]
    list_filter = ["region", "year"]


@admin.register(models.CorporationStock)
class CorporationStockAdmin(admin.ModelAdmin):
    list_display = ["corporation", "municipality", "homes", "reference_date", "is_estimate"]
    list_filter = ["corporation__region", "municipality"]
