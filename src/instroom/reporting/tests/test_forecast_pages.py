"""Forecast scenarios on the pages: made from the calibrated defaults, run in the background,
compared side by side, downloaded as CSV and PDF; aggregates only, for the right roles."""

import re
from html import unescape

import pytest
from django.urls import reverse

from instroom.forecast.models import Scenario
from instroom.matching.tests.factories import make_approved

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


# Raw keys and Python values a person should never read: snake_case identifiers, None/True/False,
# floats with long tails (0.35000001), dict and list reprs.
RAW = re.compile(
    r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b(?:None|True|False|nan)\b|\d[.,]\d{4,}|[{\[]\s*['\"]|['\"]:\s"
)


def visible_text(html: str) -> str:
    main = re.search(r"<main\b[^>]*>(.*)</main>", html, re.S)
    main = main.group(1) if main else html
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r"<[^>]+>", " ", main)
    return unescape(re.sub(r"\s+", " ", main))


@pytest.mark.parametrize(
    ("language", "units"),
    [
        ("nl", ["per jaar", "maanden", "%", "20.000 wachtenden", "per maand"]),
        ("en", ["a year", "months", "%", "20,000 people waiting", "a month"]),
    ],
)
def test_the_pages_speak_to_people_with_units_and_no_raw_keys(
    client, cast, language, units
) -> None:
    make_approved(cast)
    client.force_login(cast.coordinator)
    make(client, cast, "Basis", 178)
    scenario = Scenario.objects.get()
    for url in (
        reverse("forecast:region", args=[cast.region.slug]),
        reverse("forecast:scenario", args=[scenario.pk]),
    ):
        text = visible_text(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
        assert not RAW.findall(text), (url, RAW.findall(text))
        for unit in units:
            assert unit in text, (url, unit)
    region = client.get(reverse("forecast:region", args=[cast.region.slug]))
    text = visible_text(region.content.decode())
    # Every input is explained, and the rates are asked as people write them.
    assert region.context["form"].initial["approval_rate"] == 100
    assert str(region.context["form"]["approval_rate"].help_text) in text
