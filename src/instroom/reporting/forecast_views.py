import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from instroom.forecast.models import Scenario
from instroom.forms import NLDesignFormMixin
from instroom.http import AuthenticatedHttpRequest, int_param
from instroom.pdf import pdf_response
from instroom.policy import rules
from instroom.regions.models import Region
from instroom.spreadsheet import safe_row

from . import forecasting
from .forecast_inputs import calibrate

SERIES = [
    ("pool", gettext_lazy("Pool size (people waiting for a home)")),
    ("wait_median", gettext_lazy("Months waited by those placed (median)")),
    ("placements", gettext_lazy("Placements per month")),
    ("scheme_share", gettext_lazy("Share of all social-rent lets going to the scheme")),
]


class ScenarioForm(NLDesignFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    homes_per_year = forms.FloatField(label=gettext_lazy("Homes offered a year"), min_value=0)
    quota_per_year = forms.FloatField(label=gettext_lazy("Yearly quota (ceiling)"), min_value=0)
    approval_rate = forms.FloatField(
        label=gettext_lazy("Approval rate (0–1)"), min_value=0, max_value=1
    )
    assessment_months = forms.FloatField(
        label=gettext_lazy("Months from application to decision"), min_value=1
    )
    refusal_rate = forms.FloatField(
        label=gettext_lazy("Refusal rate (0–1)"), min_value=0, max_value=1
    )
    regular_allocations_per_year = forms.FloatField(
        label=gettext_lazy("Social-rent lets a year in the region (all)"), min_value=0
    )
    regular_queue = forms.FloatField(label=gettext_lazy("Regular seekers waiting"), min_value=0)


def _region(request: AuthenticatedHttpRequest, slug: str) -> Region:
    region = get_object_or_404(Region, slug=slug)
    if not rules.can_forecast(request.user, region.pk):
        raise Http404
    return region


def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = [r for r in Region.objects.order_by("name") if rules.can_forecast(request.user, r.pk)]
    if not regions:
        raise PermissionDenied
    return redirect("forecast:region", slug=regions[0].slug)


def region_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    region = _region(request, slug)
    defaults, basis = calibrate(region)
    initial = {f: getattr(defaults, f) for f in forecasting.EDITABLE}
    form = ScenarioForm(request.POST or None, initial={"name": _("Scenario"), **initial})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        name = data.pop("name")
        changes = {k: v for k, v in data.items() if v != initial.get(k)}
        try:
            scenario = forecasting.scenario_create(
                actor=request.user, region=region, name=name, changes=changes
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            forecasting.scenario_run(actor=request.user, scenario=scenario)
            return redirect("forecast:scenario", pk=scenario.pk)
    scenarios = list(Scenario.objects.filter(region=region))
    return render(
        request,
        "reporting/forecast_region.html",
        {
            "region": region,
            "form": form,
            "basis": basis,
            "scenarios": scenarios,
        },
    )


def _scenario(request: AuthenticatedHttpRequest, pk: int) -> Scenario:
    scenario = get_object_or_404(Scenario.objects.select_related("region"), pk=pk)
    if not rules.can_forecast(request.user, scenario.region_id):
        raise Http404
    return scenario


def scenario_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    others = Scenario.objects.filter(region=scenario.region).exclude(pk=scenario.pk)
    compare = others.filter(pk=int_param(request.GET.get("compare"))).first()
    shown = [scenario, *([compare] if compare else [])]
    ready = all(s.status == Scenario.Status.DONE for s in shown)
    context = {
        "scenario": scenario,
        "compare": compare,
        "others": others,
        "charts": [(label, forecasting.chart(shown, key)) for key, label in SERIES]
        if ready
        else [],
        "running": scenario.status in (Scenario.Status.QUEUED, Scenario.Status.RUNNING),
        "years": _yearly(scenario) if scenario.status == Scenario.Status.DONE else [],
    }
    if request.headers.get("HX-Request"):
        return render(request, "reporting/forecast_progress.html", context)
    return render(request, "reporting/forecast_scenario.html", context)


def _yearly(scenario: Scenario) -> list[dict[str, object]]:
    r = scenario.result
    rows = []
    for y in range(r["months"] // 12):
        end = 12 * y + 11
        span = slice(12 * y, 12 * y + 12)
        placed = [v or 0 for v in r["placements"]["p50"][span]]
        rows.append(
            {
                "year": y + 1,
                "pool": (r["pool"]["p10"][end], r["pool"]["p50"][end], r["pool"]["p90"][end]),
                "placed": round(sum(placed)),
                "wait": r["wait_median"]["p50"][end],
                "wait90": r["wait_p90"]["p50"][end],
                "share": r["scheme_share"]["p50"][end],
                "extra": r["regular_extra_wait"]["p50"][end],
            }
        )
    return rows


@require_POST
def scenario_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    forecasting.scenario_run(actor=request.user, scenario=scenario)
    messages.success(request, _("The forecast is running; this page shows its progress."))
    return redirect("forecast:scenario", pk=scenario.pk)


def scenario_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    if scenario.status != Scenario.Status.DONE:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="prognose-{scenario.pk}.csv"'
    writer = csv.writer(response, delimiter=";")
    for row in forecasting.csv_rows(scenario):
        writer.writerow(safe_row(row))
    return response


def scenario_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    if scenario.status != Scenario.Status.DONE:
        raise Http404
    return pdf_response(
        "reporting/forecast_pdf.html",
        {
            "scenario": scenario,
            "charts": [(label, forecasting.chart([scenario], key)) for key, label in SERIES],
            "years": _yearly(scenario),
        },
        f"prognose-{scenario.pk}.pdf",
    )
