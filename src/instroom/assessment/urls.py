from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("cases/<int:pk>/schedule/", views.schedule_case, name="schedule"),
    path("cases/<int:pk>/decide/", views.decide_case, name="decide_case"),
    path("items/<int:pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("items/<int:pk>/invite/", views.invite, name="invite"),
    path("items/<int:pk>/decide/", views.decide, name="decide"),
]
