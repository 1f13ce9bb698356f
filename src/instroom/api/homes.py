"""Home offers in the API: the same services, policy and validation as the pages."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from instroom.api import fields
from instroom.homes import selectors, services
from instroom.homes.constants import HomeType
from instroom.homes.models import Home
from instroom.homes.validators import (
    FLOOR_RANGE,
    HOUSE_NUMBER_RANGE,
    RENT_RANGE,
    ROOMS_RANGE,
)
from instroom.policy import rules
from instroom.regions.models import Municipality, Neighbourhood

from .actors import actor_of as _actor


class HomeSerializer(serializers.ModelSerializer):
    corporation: Any = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    municipality: Any = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    neighbourhood: Any = serializers.SlugRelatedField(
        slug_field="cbs_code", read_only=True, allow_null=True
    )

    cluster: Any = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The cluster (woonvorm) this home is a place of"
    )

    class Meta:
        model = Home
        fields = [
            "id",
            "corporation",
            "state",
            *services.HOME_FIELDS,
            "cluster",
            "place",
            "created_at",
        ]
        read_only_fields = ["place"]


class HomeWriteSerializer(serializers.Serializer):
    corporation = serializers.SlugField(
        required=False, help_text="Slug of your corporation (needed if you work for more than one)"
    )
    reference = serializers.CharField(max_length=40, required=False, allow_blank=True)
    street = serializers.CharField(max_length=120)
    house_number = fields.WholeNumberField(
        min_value=HOUSE_NUMBER_RANGE[0], max_value=HOUSE_NUMBER_RANGE[1]
    )
    house_number_suffix = serializers.CharField(max_length=6, required=False, allow_blank=True)
    postcode = fields.PostcodeField(max_length=20)
    municipality = serializers.RegexField(r"^GM\d{4}$", help_text="CBS code, e.g. GM0392")
    neighbourhood = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="CBS code (BU…/WK…)"
    )
    complex_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    home_type = serializers.ChoiceField(choices=HomeType.choices)
    rooms = fields.WholeNumberField(min_value=ROOMS_RANGE[0], max_value=ROOMS_RANGE[1])
    floor = fields.WholeNumberField(min_value=FLOOR_RANGE[0], max_value=FLOOR_RANGE[1], default=0)
    has_lift = serializers.BooleanField(default=False)
    wheelchair_accessible = serializers.BooleanField(default=False)
    rent_eur = fields.AmountField(
        max_digits=7, decimal_places=2, min_value=RENT_RANGE[0], max_value=RENT_RANGE[1]
    )
    pets_allowed = serializers.BooleanField(default=False)
    available_from = fields.AvailableFromField()
    notes = serializers.CharField(required=False, allow_blank=True)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class RankedCandidateSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    candidate_number = serializers.CharField()
    total = serializers.IntegerField()
    points = serializers.DictField(child=serializers.IntegerField())


class ExcludedCandidateSerializer(serializers.Serializer):
    candidate_number = serializers.CharField()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="codes of the hard filters that exclude"
    )


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    explanation = serializers.CharField(
        help_text="The region's own words, in the request's language."
    )
    points = serializers.CharField()


class RankingSerializer(serializers.Serializer):
    snapshot = serializers.IntegerField()
    home = serializers.IntegerField()
    pool_size = serializers.IntegerField()
    rules_version = serializers.IntegerField(
        allow_null=True,
        help_text="The region's rules version it was ranked under (null: template).",
    )
    rules = serializers.CharField()
    criteria = CriterionSerializer(many=True)
    eligible = RankedCandidateSerializer(many=True)
    excluded = ExcludedCandidateSerializer(many=True)


class RankingMixin:
    @extend_schema(responses=RankingSerializer)
    @action(detail=True, methods=["get"])
    def ranking(self, request: Request, pk: str | None = None) -> Response:
        """The ranking for this home (pseudonymised: candidate numbers only), kept as a snapshot."""
        from instroom.matching import ranking
        from instroom.matching.constants import SnapshotPurpose

        home = self._get(pk)  # type: ignore[attr-defined]
        ranked = ranking.rank_home(home)
        snapshot = ranking.snapshot_store(
            ranked, actor=_actor(request), purpose=SnapshotPurpose.API
        )
        return Response(
            {
                "snapshot": snapshot.pk,
                "home": home.pk,
                "pool_size": snapshot.pool_size,
                "rules_version": ranked.rules.number,
                "rules": ranked.rules.version_label,
                "criteria": [
                    {"code": c.code, "explanation": c.explanation, "points": c.points}
                    for c in ranking.criteria(ranked.rules.rules.matching, ranked.config)
                ],
                "eligible": [
                    {k: row[k] for k in ("position", "candidate_number", "total", "points")}
                    for row in snapshot.eligible
                ],
                "excluded": [
                    {"candidate_number": row["candidate_number"], "reasons": row["reasons"]}
                    for row in snapshot.excluded
                ],
            }
        )


class HomeViewSet(RankingMixin, viewsets.GenericViewSet):
    """Homes the caller may see: a corporation its own offers, a coordinator the region's."""

    serializer_class = HomeSerializer
    queryset = Home.objects.none()  # for the schema; get_queryset scopes per caller

    def get_queryset(self) -> Any:
        return selectors.home_list(actor=_actor(self.request))

    def _get(self, pk: str | None) -> Home:
        try:
            return self.get_queryset().get(pk=int(pk or 0))
        except (Home.DoesNotExist, ValueError):
            raise Http404 from None

    def _fields(self, data: dict[str, Any], region_id: int) -> dict[str, Any]:
        data = dict(data)
        data.pop("corporation", None)
        if "municipality" in data:
            data["municipality"] = get_object_or_404(
                Municipality, region_id=region_id, cbs_code=data["municipality"]
            )
        if "neighbourhood" in data:
            code = data["neighbourhood"]
            data["neighbourhood"] = (
                get_object_or_404(Neighbourhood, municipality__region_id=region_id, cbs_code=code)
                if code
                else None
            )
        return data

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(HomeSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(HomeSerializer(self._get(pk)).data)

    @extend_schema(request=HomeWriteSerializer, responses={201: HomeSerializer})
    def create(self, request: Request) -> Response:
        data = HomeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        corporations = selectors.corporations_offering(actor=_actor(request))
        slug = data.validated_data.get("corporation")
        corporation = corporations.filter(slug=slug).first() if slug else corporations.first()
        if corporation is None:
            raise PermissionDenied
        fields = self._fields(data.validated_data, corporation.region_id)
        home = services.home_create(actor=_actor(request), corporation=corporation, **fields)
        return Response(HomeSerializer(home).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HomeWriteSerializer, responses=HomeSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        home = self._get(pk)
        if not rules.can_manage_home(_actor(request), home):
            raise PermissionDenied
        data = HomeWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = self._fields(data.validated_data, home.region_id)
        home = services.home_update(actor=_actor(request), home=home, **fields)
        return Response(HomeSerializer(home).data)

    @extend_schema(request=WithdrawSerializer, responses=HomeSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        home = self._get(pk)
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        home = services.home_withdraw(
            actor=_actor(request), home=home, reason=data.validated_data["reason"]
        )
        return Response(HomeSerializer(home).data)
