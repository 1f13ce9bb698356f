from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.match_list, name="list"),
    path("<int:pk>/", views.match_detail, name="detail"),
    path("<int:pk>/provider/", views.provider_decide, name="provider_decide"),
    path("<int:pk>/client/", views.client_decide, name="client_decide"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/next/", views.propose_next, name="propose_next"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/viewing/", views.viewing, name="viewing"),
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("<int:pk>/status/", views.status_request, name="status_request"),
    path("<int:pk>/status/answer/", views.status_answer, name="status_answer"),
    path("homes/<int:pk>/ranking/", views.ranking_page, name="ranking"),
    path("homes/<int:pk>/propose/", views.propose, name="propose"),
    path("rankings/<int:pk>/", views.snapshot_page, name="snapshot"),
    path("batch/", views.batch, name="batch"),
    path("batch/<int:pk>/", views.batch_run, name="batch_run"),
    path("batch/<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("pool/", views.pool, name="pool"),
    path("marks/", views.marks, name="marks"),
    path("marks/<int:pk>/withdraw/", views.mark_withdraw, name="mark_withdraw"),
    path("refusals/", views.refusals, name="refusals"),
    path("refusals/<int:pk>/review/", views.review, name="review"),
    path("parkings/<int:pk>/end/", views.parking_end, name="parking_end"),
]
