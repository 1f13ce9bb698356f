"""The forecast calibrated from the region's own history, on the command line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import override

from instroom.matching.tests.factories import make_approved
from instroom.reporting.forecast_inputs import calibrate

pytestmark = pytest.mark.django_db


def test_inputs_come_from_the_regions_history_and_say_so(cast) -> None:
    make_approved(cast)
    make_approved(cast)
    with override("en"):
        inputs, notes = calibrate(cast.region)
    basis = {n.field: n.basis for n in notes}
    assert inputs.inflow_per_month == {"bw": pytest.approx(2 / 12)}
    assert "last 12 months" in basis["inflow_per_month"]
    assert inputs.approval_rate == 1.0 and basis["approval_rate"] == "2 decisions"
    assert inputs.start_pool == 2
    assert sum(inputs.key.values()) == pytest.approx(1)
    assert "not in Instroom" in basis["regular_queue"]


def test_the_forecast_command_gives_yearly_bands(cast) -> None:
    out = StringIO()
    call_command("forecast", region=cast.region.slug, years=3, runs=50, format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["runs"] == 50 and len(data["years"]) == 3
    low, mid, high = data["years"][0]["pool_p10_p50_p90"]
    assert low <= mid <= high
    again = StringIO()
    call_command("forecast", region=cast.region.slug, years=3, runs=50, format="json", stdout=again)
    assert json.loads(again.getvalue())["years"] == data["years"]  # same seed, same answer
    with pytest.raises(CommandError):
        call_command("forecast", region=cast.region.slug, years=99, stdout=StringIO())


def test_the_forecast_command_draws_a_png(cast, tmp_path) -> None:
    target = tmp_path / "prognose.png"
    call_command(
        "forecast",
        region=cast.region.slug,
        years=2,
        runs=20,
        format="png",
        out=str(target),
        stdout=StringIO(),
    )
    assert target.read_bytes().startswith(b"\x89PNG")
