from django.urls import path

from . import views

app_name = "homes"
urlpatterns = [
    path("", views.home_list, name="list"),
    path("new/", views.home_create, name="create"),
    path("cluster/new/", views.cluster_create, name="cluster_create"),
    path("cluster/<int:pk>/", views.cluster_detail, name="cluster"),
    path("import/", views.home_import, name="import"),
    path("import/voorbeeld.csv", views.home_import_template, name="import_template"),
    path("<int:pk>/", views.home_detail, name="detail"),
    path("<int:pk>/edit/", views.home_edit, name="edit"),
    path("<int:pk>/withdraw/", views.home_withdraw, name="withdraw"),
    path("<int:pk>/reopen/", views.home_reopen, name="reopen"),
]
