from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("clients/<int:pk>/", views.client_rights, name="client"),
    path("clients/<int:pk>/export.json", views.export_json, name="export_json"),
    path("clients/<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
    path("clients/<int:pk>/correct/", views.correct, name="correct"),
    path("clients/<int:pk>/erase/", views.erase, name="erase"),
]
