from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("check/", views.check_queue, name="check_queue"),
    path("<int:pk>/", views.client_detail, name="client"),
    path("applications/<int:pk>/edit/<slug:step>/", views.application_step, name="step"),
    path("applications/<int:pk>/motivation/", views.motivation_download, name="motivation"),
    path(
        "applications/<int:pk>/documents/<slug:kind>/",
        views.document_download,
        name="document",
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/reinstate/", views.application_reinstate, name="reinstate"),
    path("applications/<int:pk>/return/", views.application_return, name="return"),
    path("applications/<int:pk>/complete/", views.application_complete, name="complete"),
]
