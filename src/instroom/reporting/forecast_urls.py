from django.urls import path

from . import forecast_views as views

app_name = "forecast"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.region_page, name="region"),
    path("scenarios/<int:pk>/", views.scenario_page, name="scenario"),
    path("scenarios/<int:pk>/run/", views.scenario_run, name="run"),
    path("scenarios/<int:pk>/prognose.csv", views.scenario_csv, name="csv"),
    path("scenarios/<int:pk>/prognose.pdf", views.scenario_pdf, name="pdf"),
]
