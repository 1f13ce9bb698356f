"""Text from the configuration never becomes a live formula in an export (OWASP CSV injection):
a municipality named `=HYPERLINK(...)` is shown as that text in the XLSX report and the open
data CSV."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from . import world

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'
STARTS = ("=", "+", "-", "@")


def test_a_formula_in_a_municipality_name_is_text_in_the_exports(client, cast) -> None:
    made = world.build(cast)
    made["a"].name = FORMULA
    made["a"].save(update_fields=["name"])
    cast.region.name = "+" + FORMULA
    cast.region.save(update_fields=["name"])
    client.force_login(cast.coordinator)
    args = {"period": world.PERIOD}

    xlsx = client.get(reverse("reports:xlsx", args=[cast.region.slug]), args)
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    named = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(named) >= 2  # the region on "About" and the municipality's rows
    for cell in named:
        assert cell.data_type != "f", cell.coordinate
        assert not cell.value.startswith(STARTS), cell.value
    assert {c.value for c in named} >= {"'" + FORMULA, "'+" + FORMULA}
    # Counts are still numbers.
    assert any(isinstance(c.value, int) and c.value > 0 for c in cells)
    assert not any(c.data_type == "f" for c in cells)

    response = client.get(reverse("reports:open_data_csv", args=[cast.region.slug]), args)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode()), delimiter=";"))
    names = {r["municipality"] for r in rows}
    assert "'" + FORMULA in names
    assert not any(
        str(value).startswith(("=", "+", "-", "@")) for r in rows for value in r.values()
    )
