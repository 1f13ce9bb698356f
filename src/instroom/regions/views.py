from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import selectors
from .constants import FigureKind
from .models import Region


def region_list(request: HttpRequest) -> HttpResponse:
    return render(request, "regions/list.html", {"regions": selectors.region_list()})


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    return render(
        request,
        "regions/detail.html",
        {
            "region": region,
            "rows": selectors.region_overview(region),
            "figure_kinds": [
                (k, FigureKind(k).label)
                for k in (
                    FigureKind.POPULATION,
                    FigureKind.HOUSING_STOCK,
                    FigureKind.HOUSEHOLDS,
                    FigureKind.SOCIAL_STOCK,
                )
            ],
            "tables": region.tables.prefetch_related("municipalities"),
            "organisations": region.organisations.filter(active=True)
            .prefetch_related("municipalities")
            .order_by("type", "name"),
            "quota_years": region.quota_years.order_by("year"),
            "limits": region.affordability_limits.order_by("-year", "household_type"),
        },
    )
