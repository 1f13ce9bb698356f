"""Forecast scenarios of a region: made from the calibrated defaults with the user's changes,
run in the background worker, summarised for the pages, the CSV and the PDF."""

from dataclasses import asdict
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from instroom.accounts.models import User
from instroom.audit import services as audit
from instroom.forecast.models import Scenario
from instroom.forecast.simulation import Inputs, simulate
from instroom.policy import rules
from instroom.regions.models import Region

from . import forecast_labels
from .forecast_inputs import calibrate

# The inputs a person may change on the page (the rest come from the calibration).
EDITABLE = (
    "approval_rate",
    "assessment_months",
    "homes_per_year",
    "quota_per_year",
    "refusal_rate",
    "regular_allocations_per_year",
    "regular_queue",
)


def inputs_of(scenario: Scenario) -> Inputs:
    return Inputs(**scenario.inputs)


@transaction.atomic
def scenario_create(
    *,
    actor: User,
    region: Region,
    name: str,
    changes: dict[str, float],
    years: int = 10,
    runs: int = 1000,
) -> Scenario:
    if not rules.can_forecast(actor, region.pk):
        raise PermissionDenied(_("You may not make forecasts for this region."))
    if not name.strip():
        raise ValidationError({"name": _("Give the scenario a name.")})
    defaults, basis = calibrate(region)
    values = asdict(defaults)
    for key, value in changes.items():
        if key not in EDITABLE:
            raise ValidationError({key: _("This input cannot be changed here.")})
        values[key] = float(value)
    supply = values.get("supply_per_corporation") or {}
    if "homes_per_year" in changes and supply and sum(supply.values()):
        # A different number of homes keeps the corporations' shares of the offer.
        factor = float(changes["homes_per_year"]) / sum(supply.values())
        values["supply_per_corporation"] = {k: v * factor for k, v in supply.items()}
    inputs = Inputs(**values)
    try:
        inputs.check()
    except ValueError as exc:
        # The core names the input in its own words; the person reads what to fix.
        field = str(exc).split(":", 1)[0]
        raise ValidationError(
            {field if field in EDITABLE else "name": _check_message(field)}
        ) from None
    try:
        with transaction.atomic():
            scenario = Scenario.objects.create(
                region=region,
                name=name.strip(),
                inputs=values,
                basis=[{"field": n.field, "value": str(n.value), "basis": n.basis} for n in basis],
                years=years,
                runs=runs,
                created_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            {"name": _("This region already has a scenario with this name.")}
        ) from None
    audit.record_change(
        actor=actor,
        action="forecast.scenario",
        obj=scenario,
        region_id=region.pk,
        changes={"name": scenario.name, **{k: values[k] for k in changes}},
    )
    return scenario


def _check_message(field: str) -> str:
    if field in ("approval_rate", "refusal_rate"):
        return _("Give a percentage between 0 and 100.")
    if field == "assessment_months":
        return _("Give at least 1 month.")
    if field == "key":
        return _("The shares of the distribution key must add up to 100 %.")
    return _("%(input)s cannot be negative.") % {"input": forecast_labels.label(field)}


def scenario_run(*, actor: User, scenario: Scenario) -> Scenario:
    from .tasks import forecast_scenario

    if not rules.can_forecast(actor, scenario.region_id):
        raise PermissionDenied(_("You may not make forecasts for this region."))
    Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.QUEUED, progress=0)
    forecast_scenario.enqueue(scenario.pk)
    scenario.refresh_from_db()
    return scenario


def _round(values: np.ndarray, digits: int = 2) -> list[float | None]:
    return [None if np.isnan(v) else round(float(v), digits) for v in values]


def summarise(scenario: Scenario) -> dict[str, Any]:
    """Run the simulation and keep the bands per month (p10, p50, p90 over the runs)."""

    def tell(percent: int) -> None:
        Scenario.objects.filter(pk=scenario.pk).update(
            status=Scenario.Status.RUNNING, progress=min(percent, 99)
        )

    result = simulate(
        inputs_of(scenario),
        years=scenario.years,
        runs=scenario.runs,
        seed=scenario.seed,
        progress=tell,
    )
    series = {
        "pool": result.pool,
        "placements": result.placements,
        "wait_median": result.wait_median,
        "wait_p90": result.wait_p90,
        "scheme_share": result.scheme_share,
        "regular_extra_wait": result.regular_extra_wait,
    }
    out: dict[str, Any] = {"months": result.months, "runs": result.runs}
    for name, values in series.items():
        low, mid, high = result.band(values)
        out[name] = {"p10": _round(low), "p50": _round(mid), "p90": _round(high)}
    yearly = {
        town: np.median(v.reshape(result.runs, -1, 12).sum(axis=2), axis=0).round(1).tolist()
        for town, v in result.placements_by_municipality.items()
    }
    out["placements_per_municipality_per_year"] = yearly
    return out


def execute(scenario_id: int) -> None:
    scenario = Scenario.objects.get(pk=scenario_id)
    try:
        result = summarise(scenario)
    except Exception as exc:  # recorded on the scenario; the worker carries on
        Scenario.objects.filter(pk=scenario_id).update(
            status=Scenario.Status.FAILED,
            result={"error": str(exc)[:300]},
            finished_at=timezone.now(),
        )
        raise
    Scenario.objects.filter(pk=scenario_id).update(
        status=Scenario.Status.DONE, progress=100, result=result, finished_at=timezone.now()
    )


def csv_rows(scenario: Scenario) -> list[list[object]]:
    r = scenario.result
    header: list[object] = ["month"]
    names = ["pool", "placements", "wait_median", "wait_p90", "scheme_share", "regular_extra_wait"]
    for name in names:
        header += [f"{name}_p10", f"{name}_p50", f"{name}_p90"]
    rows: list[list[object]] = [header]
    for m in range(r.get("months", 0)):
        row: list[object] = [m + 1]
        for name in names:
            row += [r[name]["p10"][m], r[name]["p50"][m], r[name]["p90"][m]]
        rows.append(row)
    return rows


def chart(
    scenarios: list[Scenario], series: str, *, width: int = 640, height: int = 220
) -> dict[str, Any]:
    """SVG geometry for a band (p10–p90) and a median line per scenario (classes, no styles)."""
    lines = []
    top = 0.0
    for s in scenarios:
        data = s.result.get(series, {})
        top = max([top, *[v for v in data.get("p90", []) if v is not None]])
    top = top or 1.0
    for index, s in enumerate(scenarios):
        data = s.result.get(series, {})
        months = len(data.get("p50", []))
        if not months:
            continue

        def xy(m: int, v: float | None, months: int = months) -> str:
            x = 40 + (width - 50) * m / max(months - 1, 1)
            y = height - 20 - (height - 30) * (v or 0) / top
            return f"{x:.1f},{y:.1f}"

        upper = [xy(m, v) for m, v in enumerate(data["p90"])]
        lower = [xy(m, v) for m, v in enumerate(data["p10"])]
        lines.append(
            {
                "name": s.name,
                "index": index,
                "band": " ".join(upper + lower[::-1]),
                "line": " ".join(xy(m, v) for m, v in enumerate(data["p50"])),
            }
        )
    months = max((len(s.result.get(series, {}).get("p50", [])) for s in scenarios), default=0)
    ticks = (
        [
            # As text with a decimal point: the template would localise a float ("40,0").
            (f"{40 + (width - 50) * min(12 * y, months - 1) / max(months - 1, 1):.1f}", y)
            for y in range(0, months // 12 + 1)
        ]
        if months
        else []
    )
    return {"width": width, "height": height, "top": round(top, 1), "lines": lines, "ticks": ticks}
