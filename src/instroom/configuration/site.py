"""The configuration site of regional administrators, scoped to their own region(s)."""

from django.contrib.admin import AdminSite


class RegionalAdminSite(AdminSite):
    site_header = "Instroom — regiobeheer"


regional_site = RegionalAdminSite(name="regional_admin")
