from django.urls import path

from . import report_views as views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/rapportage.pdf", views.report_pdf, name="pdf"),
    path("<slug:slug>/rapportage.xlsx", views.report_xlsx, name="xlsx"),
    path("<slug:slug>/open-data.csv", views.open_data_csv, name="open_data_csv"),
    path("<slug:slug>/open-data.json", views.open_data_json, name="open_data_json"),
]
