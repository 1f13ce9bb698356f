import csv
from typing import Any

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

from . import forecast_labels, forecasting
from .forecast_inputs import calibrate

SERIES = [
    ("pool", gettext_lazy("Pool size (people waiting for a home)")),
    ("wait_median", gettext_lazy("Months waited by those placed (median)")),
    ("placements", gettext_lazy("Placements per month")),
    ("scheme_share", gettext_lazy("Share of all social-rent lets going to the scheme")),
]


def _help(field: str) -> Any:
    return forecast_labels.INPUTS[field].help


class ScenarioForm(NLDesignFormMixin, forms.Form):
    """The inputs a person may change, in the units people write: percentages for the rates,
    whole numbers for counts, months with at most one decimal (the view converts)."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    homes_per_year = forms.IntegerField(
        label=gettext_lazy("Homes offered a year"), min_value=0, help_text=_help("homes_per_year")
    )
    quota_per_year = forms.IntegerField(
        label=gettext_lazy("Yearly quota (ceiling)"),
        min_value=0,
        help_text=_help("quota_per_year"),
    )
    approval_rate = forms.IntegerField(
        label=gettext_lazy("Approval rate (%)"),
        min_value=0,
        max_value=100,
        help_text=_help("approval_rate"),
    )
    assessment_months = forms.DecimalField(
        label=gettext_lazy("Months from application to decision"),
        min_value=1,
        decimal_places=1,
        localize=True,
        help_text=_help("assessment_months"),
    )
    refusal_rate = forms.IntegerField(
        label=gettext_lazy("Refusal rate (%)"),
        min_value=0,
        max_value=100,
        help_text=_help("refusal_rate"),
    )
    regular_allocations_per_year = forms.IntegerField(
        label=gettext_lazy("Social-rent lets a year in the region (all)"),
        min_value=0,
        help_text=_help("regular_allocations_per_year"),
    )
    regular_queue = forms.IntegerField(
        label=gettext_lazy("Regular seekers waiting"),
        min_value=0,
        help_text=_help("regular_queue"),
    )


PERCENT_FIELDS = ("approval_rate", "refusal_rate")


def _as_written(field: str, value: float) -> float | int:
    """An input as the form shows it: rates in whole percent, months to one decimal, counts
    whole."""
    if field in PERCENT_FIELDS:
        return round(value * 100)
    if field == "assessment_months":
        return round(value, 1)
    return round(value)


def _as_input(field: str, value: Any) -> float:
    return float(value) / 100 if field in PERCENT_FIELDS else float(value)


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
    initial = {f: _as_written(f, getattr(defaults, f)) for f in forecasting.EDITABLE}
    form = ScenarioForm(request.POST or None, initial={"name": _("Scenario"), **initial})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        name = data.pop("name")
        # Only what the person changed; the rest keeps the calibrated (unrounded) value.
        changes = {
            k: _as_input(k, v) for k, v in data.items() if _as_written(k, float(v)) != initial[k]
        }
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
            "basis": [
                {
                    "label": forecast_labels.label(n.field),
                    "value": forecast_labels.show(n.field, n.value),
                    "basis": n.basis,
                    "help": forecast_labels.INPUTS[n.field].help,
                }
                for n in basis
            ],
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
        "charts": _charts(shown) if ready else [],
        "running": scenario.status in (Scenario.Status.QUEUED, Scenario.Status.RUNNING),
        "years": _yearly(scenario) if scenario.status == Scenario.Status.DONE else [],
        "inputs": forecast_labels.rows(scenario.inputs),
    }
    if request.headers.get("HX-Request"):
        return render(request, "reporting/forecast_progress.html", context)
    return render(request, "reporting/forecast_scenario.html", context)


def _charts(scenarios: list[Scenario]) -> list[tuple[Any, dict[str, Any]]]:
    charts = []
    for key, label in SERIES:
        chart = forecasting.chart(scenarios, key)
        top = chart["top"]
        chart["top_label"] = (
            forecast_labels.percent(top, 1)
            if key == "scheme_share"
            else forecast_labels.decimal(top)
        )
        charts.append((label, chart))
    return charts


def _yearly(scenario: Scenario) -> list[dict[str, object]]:
    """The table per year, written as people read it (whole people, months to one decimal, the
    share as a percentage; a dash where nobody was placed)."""
    r = scenario.result
    labels = forecast_labels

    def or_dash(value: float | None, write: Any) -> str:
        return "—" if value is None else write(value)

    rows = []
    for y in range(r["months"] // 12):
        end = 12 * y + 11
        span = slice(12 * y, 12 * y + 12)
        placed = [v or 0 for v in r["placements"]["p50"][span]]
        rows.append(
            {
                "year": y + 1,
                "pool": tuple(
                    or_dash(r["pool"][p][end], labels.whole) for p in ("p10", "p50", "p90")
                ),
                "placed": labels.whole(sum(placed)),
                "wait": or_dash(r["wait_median"]["p50"][end], labels.decimal),
                "wait90": or_dash(r["wait_p90"]["p50"][end], labels.decimal),
                "share": or_dash(r["scheme_share"]["p50"][end], lambda v: labels.percent(v, 1)),
                "extra": or_dash(r["regular_extra_wait"]["p50"][end], labels.decimal),
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
            "charts": _charts([scenario]),
            "years": _yearly(scenario),
        },
        f"prognose-{scenario.pk}.pdf",
    )
