from django.urls import path

from . import views

app_name = "distribution"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/<int:year>/", views.realisation, name="realisation"),
    path("<slug:slug>/placements/", views.placements, name="placements"),
    path("<slug:slug>/placements/<int:pk>/undo/", views.placement_undo, name="placement_undo"),
]
