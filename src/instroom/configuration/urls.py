"""The regional administrator's pages (`/beheer/`): the rules of a regeling, their versions and
the change history. Organisations, users, tables and figures: `site.regional_site`."""

from django.urls import path

app_name = "configuration"

urlpatterns: list = []  # type: ignore[type-arg]
