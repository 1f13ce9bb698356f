from django.contrib import admin
from django.urls import include, path

from instroom.accounts import views as accounts_views
from instroom.configuration.site import regional_site
from instroom.reporting import views as reporting_views
from instroom.reporting.home import home

# A busy database outside a view is a 503 too (instroom/middleware.py).
handler500 = "instroom.middleware.server_error"

admin.site.site_header = "Instroom — configuratie"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", reporting_views.healthz, name="healthz"),
    # Django's switch, which also keeps a signed-in user's choice for their e-mail.
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("accounts/", include("instroom.accounts.urls")),
    path("regions/", include("instroom.regions.urls")),
    path("clients/", include("instroom.applications.urls")),
    path("audit/", include("instroom.audit.urls")),
    path("sessions/", include("instroom.assessment.urls")),
    path("privacy/", include("instroom.privacy.urls")),
    path("distribution/", include("instroom.distribution.urls")),
    path("homes/", include("instroom.homes.urls")),
    path("forecast/", include("instroom.reporting.forecast_urls")),
    path("reports/", include("instroom.reporting.report_urls")),
    path("matching/", include("instroom.matching.urls")),
    path("support/", include("instroom.support.urls")),
    path("overname/", include("instroom.takeover.urls")),
    path("api/", include("instroom.api.urls")),
    # Regional administrators: the rules (own pages) and the data of their own region(s).
    path("beheer/gegevens/", regional_site.urls),
    path("beheer/", include("instroom.configuration.urls")),
    path("admin/", admin.site.urls),
]
