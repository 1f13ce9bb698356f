from django.urls import path

from . import views

app_name = "takeover"
urlpatterns = [
    path("", views.takeover, name="index"),
    path("sjabloon/", views.takeover_template, name="template"),
]
