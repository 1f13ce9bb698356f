from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.contracts, name="contracts"),
    path("matches/<int:pk>/prepare/", views.prepare, name="prepare"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("contracts/<int:pk>/agreement.pdf", views.document, name="document"),
    path("contracts/<int:pk>/sign/", views.sign, name="sign"),
    path("contracts/<int:pk>/sign/undo/", views.sign_undo, name="sign_undo"),
    path("contracts/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("contracts/<int:pk>/move-in/", views.move_in, name="move_in"),
    path("contracts/<int:pk>/people/", views.assign, name="assign"),
    path("contracts/<int:pk>/orientation/", views.orientation_add, name="orientation_add"),
    path(
        "contracts/<int:pk>/orientation/<int:activity>/remove/",
        views.orientation_remove,
        name="orientation_remove",
    ),
    path("contracts/<int:pk>/final/", views.final, name="final"),
    path("contracts/<int:pk>/signals/", views.signal_report, name="signal_report"),
    path("contracts/<int:pk>/timeout/", views.timeout_start, name="timeout_start"),
    path("timeouts/<int:pk>/end/", views.timeout_end, name="timeout_end"),
    path("timeout-places/", views.timeout_places, name="timeout_places"),
    path("timeout-places/add/", views.timeout_place_add, name="timeout_place_add"),
    path("timeout-places/<int:pk>/", views.timeout_place_edit, name="timeout_place_edit"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/plan/", views.meeting_plan, name="meeting_plan"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="meeting_record"),
    path("signals/<int:pk>/", views.signal, name="signal"),
    path("signals/<int:pk>/plan/", views.signal_plan, name="signal_plan"),
    path("signals/<int:pk>/escalate/", views.signal_escalate, name="signal_escalate"),
    path("signals/<int:pk>/close/", views.signal_close, name="signal_close"),
    path("case-table/", views.case_table, name="case_table"),
    path("case-table/<int:pk>/", views.case_table_session, name="case_table_session"),
    path("case-table/<int:pk>/agenda.pdf", views.case_table_pdf, name="case_table_pdf"),
    path("case-table/items/<int:pk>/decide/", views.case_table_decide, name="case_table_decide"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
