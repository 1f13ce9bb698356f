"""Taking over running cases through the API: the same service, policy and messages as the page
(`/overname/`) and the command line."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from instroom.policy import rules
from instroom.regions.models import Region
from instroom.takeover import services

from .actors import actor_of


class TakeoverRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (; or ,) or XLSX, at most 5 MB and 5000 rows")
    dry_run = serializers.BooleanField(
        default=True, help_text="Only check and report (default); false imports all rows"
    )
    region = serializers.SlugField(
        required=False, help_text="Slug of the region (needed if you coordinate more than one)"
    )


class PlacementCountSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    year = serializers.IntegerField()
    count = serializers.IntegerField()


class TakeoverSummarySerializer(serializers.Serializer):
    pool = serializers.IntegerField(help_text="clients into the pool")
    tenancies = serializers.IntegerField()
    meetings_held = serializers.IntegerField()
    meetings_planned = serializers.IntegerField(help_text="support meetings still to come")
    placements = PlacementCountSerializer(many=True)


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        help_text="row number as seen in the file (header = 1); 0 for the file or the request"
    )
    column = serializers.CharField(
        help_text="the column's header; empty for the whole row; for row 0 the request field"
    )
    message = serializers.CharField(help_text="what to fix, in the caller's language")


class TakeoverResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    imported = serializers.BooleanField()
    summary = TakeoverSummarySerializer()
    errors: Any = RowErrorSerializer(many=True)


@extend_schema(
    request={"multipart/form-data": TakeoverRequestSerializer},
    responses={
        200: OpenApiResponse(TakeoverResultSerializer, description="Dry run without problems"),
        201: OpenApiResponse(TakeoverResultSerializer, description="Imported"),
        400: OpenApiResponse(
            TakeoverResultSerializer, description="Nothing imported: the rows to fix"
        ),
    },
)
@api_view(["POST"])
@parser_classes([MultiPartParser])
def takeover(request: Request) -> Response:
    """Check (dry run, the default) or import a file of running cases of the caller's region:
    every row or none."""
    actor = actor_of(request)
    regions = rules.takeover_regions(actor)
    if not regions:
        raise PermissionDenied  # before anything about the request is said
    params = TakeoverRequestSerializer(data=request.data)
    if not params.is_valid():
        # The same answer as for rows to fix: row 0 is the request itself.
        return _refused(
            [
                (field, str(message))
                for field, messages in params.errors.items()
                for message in (messages if isinstance(messages, list) else [messages])
            ]
        )
    slug = params.validated_data.get("region")
    if slug:
        region = get_object_or_404(Region, slug=slug, pk__in=regions)
    elif len(regions) == 1:
        region = Region.objects.get(pk=regions[0])
    else:
        return _refused(
            [("region", _("Name the region (its slug): you coordinate more than one."))]
        )
    upload = params.validated_data["file"]
    dry_run = params.validated_data["dry_run"]
    try:
        outcome = services.takeover_import(
            actor=actor,
            region=region,
            file_name=upload.name,
            content=upload.read(),
            dry_run=dry_run,
        )
    except services.FileRejected as exc:
        return _refused([("file", str(exc))], dry_run=dry_run)
    body = {
        "dry_run": dry_run,
        "imported": outcome.imported,
        "summary": outcome.summary.as_dict(),
        "errors": outcome.errors_as_dicts(),
    }
    if outcome.errors:
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return Response(
        body, status=status.HTTP_201_CREATED if outcome.imported else status.HTTP_200_OK
    )


def _refused(problems: list[tuple[str, str]], *, dry_run: bool = True) -> Response:
    """A request refused before any row was read: nothing imported, the problems as row 0."""
    empty = {"pool": 0, "tenancies": 0, "meetings_held": 0, "meetings_planned": 0}
    body = {
        "dry_run": dry_run,
        "imported": False,
        "summary": {**empty, "placements": []},
        "errors": [{"row": 0, "column": f, "message": m} for f, m in problems],
    }
    return Response(body, status=status.HTTP_400_BAD_REQUEST)
