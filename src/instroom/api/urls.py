from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import applications, homes, matching, takeover, views

app_name = "api"
router = SimpleRouter(trailing_slash=True)
router.register("v1/regions", views.RegionViewSet, basename="region")
router.register("v1/clients", views.ClientViewSet, basename="client")
router.register("v1/applications", applications.ApplicationViewSet, basename="application")
router.register("v1/homes", homes.HomeViewSet, basename="home")
router.register("v1/matches", matching.MatchViewSet, basename="match")
router.register("v1/sessions", applications.SessionViewSet, basename="session")
router.register("v1/agenda-items", applications.AgendaItemViewSet, basename="agendaitem")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/me/", views.me, name="me"),
    path("v1/takeover/", takeover.takeover, name="takeover"),
    *router.urls,
]
