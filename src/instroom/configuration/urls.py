"""The regional administrator's pages (`/beheer/`): the rules of a regeling, their versions and
the change history. Organisations, users, tables and figures: `site.regional_site`."""

from django.urls import path

from . import views
from .forms import PAGES

app_name = "configuration"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.region_rules, name="region"),
    path("<slug:slug>/versies/", views.versions, name="versions"),
    path("<slug:slug>/versies/<int:pk>/", views.version, name="version"),
    path("<slug:slug>/versies/<int:pk>/herstellen/", views.restore, name="restore"),
    path("<slug:slug>/geschiedenis/", views.history, name="history"),
    *(
        path(
            f"<slug:slug>/{page.slug}/", views.edit, {"section": page.key}, name=f"edit_{page.key}"
        )
        for page in PAGES
    ),
]
