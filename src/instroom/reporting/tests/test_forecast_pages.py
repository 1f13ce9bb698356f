"""Forecast scenarios on the pages: made from the calibrated defaults, run in the background,
compared side by side, downloaded as CSV and PDF; aggregates only, for the right roles."""

import re

import pytest
from django.urls import reverse

from instroom.forecast.models import Scenario

pytestmark = pytest.mark.django_db


def make(client, cast, name, homes):
    page = client.get(reverse("forecast:region", args=[cast.region.slug]))
    form = page.context["form"]
    data = {k: form.initial[k] for k in form.fields if k in form.initial}
    data.update({"name": name, "homes_per_year": homes, "quota_per_year": homes})
    return client.post(reverse("forecast:region", args=[cast.region.slug]), data)


def test_scenarios_run_compare_and_download(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = make(client, cast, "178 woningen", 178)
    low = Scenario.objects.get(name="178 woningen")
    assert response.url == reverse("forecast:scenario", args=[low.pk])
    assert low.status == "done" and low.result["months"] == 120  # the test backend runs at once
    make(client, cast, "250 woningen", 250)
    high = Scenario.objects.get(name="250 woningen")
    assert high.inputs["homes_per_year"] == 250
    page = client.get(reverse("forecast:scenario", args=[low.pk]) + f"?compare={high.pk}")
    html = page.content.decode()
    assert html.count("<polyline") == 2 * 4  # two scenarios in each of the four charts
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "style=" not in svg
    # Every coordinate uses a decimal point, also in Dutch (a comma breaks the drawing).
    assert not re.search(r'(?:x|y|x1|x2|y1|y2|width|height)="[0-9]+,[0-9]', svg)
    csv = client.get(reverse("forecast:csv", args=[low.pk]))
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("month;pool_p10") and len(lines) == 121
    pdf = client.get(reverse("forecast:pdf", args=[low.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_duplicate_name_or_a_bad_input_is_refused_and_nothing_is_saved(client, cast) -> None:
    client.force_login(cast.coordinator)
    make(client, cast, "Basis", 178)
    again = make(client, cast, "Basis", 200)
    assert again.status_code == 200 and "name" in again.context["form"].errors
    bad = make(client, cast, "Negatief", -5)
    assert bad.status_code == 200 and "homes_per_year" in bad.context["form"].errors
    assert Scenario.objects.count() == 1


def test_municipality_users_may_forecast_care_workers_may_not(client, cast) -> None:
    client.force_login(cast.municipality_user)
    assert client.get(reverse("forecast:region", args=[cast.region.slug])).status_code == 200
    client.force_login(cast.care_worker_a)
    assert client.get(reverse("forecast:region", args=[cast.region.slug])).status_code == 403
    client.force_login(cast.other_coordinator)
    assert client.get(reverse("forecast:region", args=[cast.region.slug])).status_code == 404
