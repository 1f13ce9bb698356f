from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from instroom.http import AuthenticatedHttpRequest
from instroom.policy import rules
from instroom.regions.models import Region

from . import selectors, services
from .forms import PlacementForm, UndoForm
from .models import Placement


def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = [
        r
        for r in Region.objects.order_by("name")
        if rules.distribution_view(request.user, r.pk).anything
    ]
    if not regions:
        raise PermissionDenied
    return redirect(
        "distribution:realisation", slug=regions[0].slug, year=timezone.localdate().year
    )


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    quota_width: float
    realised_width: float
    target_x: float
    quota: int
    realised: int


CHART_WIDTH = 560
LABEL_WIDTH = 150
ROW_HEIGHT = 28


def _bars(rows: list[selectors.Row], maximum: int) -> list[Bar]:
    scale = (CHART_WIDTH - LABEL_WIDTH - 40) / maximum
    return [
        Bar(
            label=row.name,
            y=i * ROW_HEIGHT,
            quota_width=round(row.total_quota * scale, 1),
            realised_width=round(row.realised * scale, 1),
            target_x=round(LABEL_WIDTH + float(row.pro_rata) * scale, 1),
            quota=row.total_quota,
            realised=row.realised,
        )
        for i, row in enumerate(rows)
    ]


def _chart(rows: list[selectors.Row]) -> dict[str, object]:
    maximum = max([1, *(max(r.total_quota, r.realised) for r in rows)])
    bars = _bars(rows, maximum)
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(len(bars), 1) * ROW_HEIGHT + 10,
        "label_width": LABEL_WIDTH,
    }


def realisation(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    today = timezone.localdate()
    context: dict[str, object] = {
        "region": region,
        "year": year,
        "years": range(region.start_year, today.year + 2),
    }
    try:
        visible = selectors.realisation_for(
            actor=request.user, region=region, year=year, today=today
        )
    except PermissionDenied:
        raise Http404 from None
    except selectors.DistributionError as exc:
        context.update(error=exc.message, field=exc.field)
        return render(request, "distribution/realisation.html", context)
    report = visible.report
    groups: list[tuple[selectors.Row | None, list[selectors.Row]]] = [
        (sub, [r for r in visible.municipalities if r.sub_region == sub.name])
        for sub in report.sub_regions
    ]
    groups = [(sub, rows) for sub, rows in groups if rows or visible.everything]
    loose = [r for r in visible.municipalities if not r.sub_region]
    if loose or not groups:
        groups.append((None, loose))
    context.update(
        report=report,
        groups=groups,
        estimated=sorted({b.municipality for b in visible.basis if b.figure.is_estimate}),
        visible=visible,
        municipalities=visible.municipalities,
        corporations=visible.corporations,
        everything=visible.everything,
        municipality_chart=_chart(visible.municipalities),
        corporation_chart=_chart(visible.corporations),
        percent_of_year=round(float(report.fraction_of_year) * 100),
        can_record=rules.can_record_placements(request.user, region.pk),
    )
    return render(request, "distribution/realisation.html", context)


def placements(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    if not rules.can_record_placements(request.user, region.pk):
        raise Http404
    form = PlacementForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_record(actor=request.user, region=region, **form.service_kwargs())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    target = "case_number" if field == "client" else field
                    form.add_error(target if target in form.fields else None, error)
        else:
            messages.success(request, _("The placement is recorded and counts for the quota."))
            return redirect("distribution:placements", slug=region.slug)
    recent = (
        Placement.objects.filter(region=region)
        .select_related("municipality", "corporation", "neighbourhood", "client")
        .order_by("-placed_on", "-pk")[:100]
    )
    return render(
        request,
        "distribution/placements.html",
        {
            "region": region,
            "form": form,
            "placements": recent,
            "undo_form": UndoForm(),
            "year": timezone.localdate().year,
        },
    )


@require_POST
def placement_undo(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    placement = get_object_or_404(Placement, pk=pk, region__slug=slug)
    if not rules.can_record_placements(request.user, placement.region_id):
        raise Http404
    form = UndoForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.placement_undo(actor=request.user, placement=placement, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The placement is undone; it no longer counts."))
    return redirect("distribution:placements", slug=slug)
