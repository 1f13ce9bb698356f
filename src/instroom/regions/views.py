from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import selectors
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
            "figure_kinds": [(k.slug, k.label) for k in selectors.figure_kinds(region)],
            "sub_regions": region.sub_regions.prefetch_related("municipalities"),
            "tables": [
                (t, selectors.table_municipalities(t))
                for t in region.tables.select_related("sub_region")
            ],
            "organisations": region.organisations.filter(active=True)
            .prefetch_related("municipalities")
            .order_by("type", "name"),
            "quota_years": region.quota_years.prefetch_related("weights").order_by("year"),
            "agreed_homes": [
                a
                for m in region.municipalities.prefetch_related("agreed_homes").order_by("name")
                for a in m.agreed_homes.all()
            ],
            "limits": region.affordability_limits.order_by("-year", "household_type"),
        },
    )
