from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("api-token/", views.api_token, name="api_token"),
    path("two-factor/setup/", views.otp_setup, name="otp_setup"),
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("confirm/", views.reauth, name="reauth"),
    # Single sign-on (404 unless INSTROOM_OIDC_ENABLED).
    path("sso/", oidc.sso_start, name="sso_start"),
    path("sso/callback/", oidc.sso_callback, name="sso_callback"),
]
