"""Offers (matches) in the API: a candidate's identity only where the policy shares it."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from instroom.applications import selectors as client_selectors
from instroom.matching import selectors
from instroom.matching.models import Match
from instroom.regions.selectors import rules_for

from .actors import actor_of


class MatchSerializer(serializers.ModelSerializer):
    home: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    candidate_number = serializers.CharField(source="client.candidate_number")
    candidate_name = serializers.SerializerMethodField()
    decline_reason_label = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = [
            "id",
            "home",
            "candidate_number",
            "candidate_name",
            "state",
            "proposed_at",
            "state_changed_at",
            "step_deadline",
            "decline_reason",
            "decline_reason_label",
            "position",
            "snapshot",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_candidate_name(self, obj: Match) -> str | None:
        """Null unless the caller may see the person (for a corporation: after the care
        provider agreed)."""
        views = self.context.get("views", {})
        view = views.get(obj.client_id)
        if view is None or "first_name" not in view.fields:
            return None
        return f"{view.fields['first_name']} {view.fields['last_name']}"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decline_reason_label(self, obj: Match) -> str | None:
        """The region's wording of the reason in the request's language (null: not declined)."""
        if not obj.decline_reason:
            return None
        found = self.context.get("rules", {}).get(obj.region_id) or rules_for(obj.region_id).rules
        return str(found.label("refusal_reason", obj.decline_reason))


class MatchViewSet(viewsets.GenericViewSet):
    serializer_class = MatchSerializer
    queryset = Match.objects.none()

    def get_queryset(self) -> Any:
        return selectors.match_list(actor=actor_of(self.request))

    def _context(self, matches: list[Match]) -> dict[str, Any]:
        views = {
            m.client_id: client_selectors.minimise(actor_of(self.request), m.client)
            for m in matches
        }
        client_selectors.log_reads(
            actor=actor_of(self.request),
            views=list(views.values()),
            action="client.list",
            purpose="API",
        )
        # Each region's rules read once per answer (the reasons' wording).
        regions = {m.region_id for m in matches}
        return {"views": views, "rules": {r: rules_for(r).rules for r in regions}}

    def list(self, request: Request) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        data = MatchSerializer(page, many=True, context=self._context(page)).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        try:
            match = self.get_queryset().get(pk=int(pk or 0))
        except (Match.DoesNotExist, ValueError):
            raise Http404 from None
        return Response(MatchSerializer(match, context=self._context([match])).data)
