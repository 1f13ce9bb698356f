from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from instroom.applications import selectors as application_selectors
from instroom.applications.models import Client
from instroom.policy import rules
from instroom.regions import selectors as region_selectors

from .actors import actor_of
from .serializers import ClientSerializer, MeSerializer, RegionSerializer


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The configured regions (configuration, not personal data)."""

    serializer_class = RegionSerializer
    lookup_field = "slug"
    # Only slug characters reach the database: PostgreSQL refuses a NUL byte with an error (a
    # 500); anything else in the URL is a 404 from the router.
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self) -> Any:
        return region_selectors.region_list().prefetch_related("municipalities")


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """Who the caller is and which roles they hold."""
    grants = rules.grants_of(request.user)
    from instroom.regions.models import Organisation

    orgs = {
        o.pk: o
        for o in Organisation.objects.filter(
            pk__in=[g.organisation_id for g in grants]
        ).select_related("region")
    }
    data = {
        "username": request.user.get_username(),
        "name": getattr(request.user, "get_full_name", str)(),
        "roles": [
            {
                "role": g.role,
                "organisation": orgs[g.organisation_id].name,
                "region": orgs[g.organisation_id].region.slug,
            }
            for g in grants
        ],
    }
    return Response(MeSerializer(data).data)


class ClientViewSet(viewsets.GenericViewSet):
    """Clients the caller may see, minimised to their role; every read is logged."""

    serializer_class = ClientSerializer
    queryset = Client.objects.none()  # for the schema only

    def list(self, request: Request) -> Response:
        clients = (
            Client.objects.filter(rules.client_scope(actor_of(request)))
            .select_related("municipality_of_origin", "care_provider", "support_provider")
            .order_by("pk")
        )
        page = self.paginate_queryset(clients) or []
        views = application_selectors.minimise_many(actor_of(request), list(page))
        application_selectors.log_reads(
            actor=actor_of(request), views=views, action="client.list", purpose="API"
        )
        return self.get_paginated_response(ClientSerializer(views, many=True).data)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        try:
            view = application_selectors.client_get(
                actor=actor_of(request), pk=int(pk or 0), purpose="API"
            )
        except (Client.DoesNotExist, ValueError):
            raise NotFound from None
        return Response(ClientSerializer(view).data)
