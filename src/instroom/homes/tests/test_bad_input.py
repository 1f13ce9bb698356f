"""Issue 24: bad numbers and dates in a home offer are refused with a Dutch message naming the
field (or row and column), the same in the form, the API and the import; nothing is saved and
no input makes the server work for long."""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from instroom.homes.imports import parse_homes
from instroom.homes.models import Home
from instroom.homes.tests.test_import import HEADER, csv_file, upload
from instroom.homes.tests.test_offer import form_data

pytestmark = pytest.mark.django_db

GOOD = "Lindelaan;1;;2011 AB;{A};apartment;2;0;nee;650,00;ja;2027-01-15"


def _row(**cells: str) -> str:
    names = HEADER.split(";")
    values = GOOD.split(";")
    for name, value in cells.items():
        values[names.index(name.replace("_", " "))] = value
    return ";".join(values)


def _problems(response) -> list[tuple[int, str, str]]:
    assert response.status_code == 400
    return list(response.context["errors"])


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("kamers", "Infinity"),
        ("huisnummer", "Infinity"),
        ("kamers", "NaN"),
        ("huisnummer", "NaN"),
        ("kamers", "1e1000000"),
        ("kamers", "3.5"),
        ("huur", "NaN"),
        ("huur", "Infinity"),
        ("huur", "1e1000000"),
        ("beschikbaar_vanaf", "0001-01-01"),
        ("beschikbaar_vanaf", "9999-12-31"),
    ],
)
def test_a_bad_cell_is_refused_with_row_and_column_in_dutch(client, cast, column, value) -> None:
    response = upload(client, cast, csv_file(cast, GOOD, _row(**{column: value})))
    ((line, named, message),) = _problems(response)
    assert line == 3 and named == column.replace("_", " ")
    assert "convert" not in message and "Vul" in message  # Dutch, says what to write
    assert not Home.objects.exists()


def test_a_file_of_two_thousand_huge_numbers_is_refused_row_by_row(client, cast) -> None:
    """The old import turned each `1e1000000` into a million-digit integer (24 s a cell). The
    parser now refuses it from the text alone; this file must come back promptly."""
    rows = [_row(kamers="1e1000000", huisnummer="1e1000000", huur="1e1000000")] * 2000
    rows = [r.replace(";1;", f";{i};", 1) for i, r in enumerate(rows, start=1)]
    response = upload(client, cast, csv_file(cast, *rows))
    problems = _problems(response)
    assert len(problems) == 3 * 2000
    assert {named for _l, named, _m in problems} == {"kamers", "huisnummer", "huur"}
    assert not Home.objects.exists()


def test_excel_cells_with_infinity_nan_or_an_ancient_date_are_refused(cast) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    a = cast.region.municipalities.order_by("cbs_code").first()
    base = ["Lindelaan", 1, "", "2011 AB", a.name, "apartment", 2, 0, "nee", 650.0, "ja"]
    sheet.append([*base[:6], float("inf"), *base[7:], datetime(2027, 1, 15)])
    sheet.append([*base[:1], float("nan"), *base[2:], datetime(2027, 1, 15)])
    sheet.append([*base, datetime(1900, 1, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _rows, errors = parse_homes("woningen.xlsx", buffer.getvalue(), cast.region)
    assert {(e.line, e.field) for e in errors} == {
        (2, "kamers"),
        (3, "huisnummer"),
        (4, "beschikbaar vanaf"),
    }


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_available_from_out_of_range_is_refused_in_the_form_and_the_api(client, cast, day) -> None:
    client.force_login(cast.corporation_user)
    page = client.post(reverse("homes:create"), form_data(cast, available_from=day))
    assert page.status_code == 200
    message = " ".join(page.context["form"].errors["available_from"])
    assert "Vul een datum in tussen" in message
    api = APIClient()
    api.force_authenticate(cast.corporation_user)
    a = cast.region.municipalities.order_by("cbs_code").first()
    response = api.post(
        "/api/v1/homes/",
        {
            "street": "API-straat",
            "house_number": 4,
            "postcode": "2011ab",
            "municipality": a.cbs_code,
            "home_type": "studio",
            "rooms": 1,
            "rent_eur": "599.00",
            "available_from": day,
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["available_from"] == [message]
    assert not Home.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("rooms", "Infinity"), ("house_number", "NaN"), ("rooms", "1e1000000"), ("rent_eur", "NaN")],
)
def test_numbers_are_refused_the_same_in_the_form_and_the_api(client, cast, field, value) -> None:
    client.force_login(cast.corporation_user)
    page = client.post(reverse("homes:create"), form_data(cast, **{field: value}))
    assert page.status_code == 200
    message = " ".join(page.context["form"].errors[field])
    api = APIClient()
    api.force_authenticate(cast.corporation_user)
    a = cast.region.municipalities.order_by("cbs_code").first()
    body = {
        "street": "API-straat",
        "house_number": 4,
        "postcode": "2011ab",
        "municipality": a.cbs_code,
        "home_type": "studio",
        "rooms": 1,
        "rent_eur": "599.00",
        "available_from": "2027-04-01",
        field: value,
    }
    response = api.post("/api/v1/homes/", body, format="json")
    assert response.status_code == 400 and response.json()[field] == [message]
    assert not Home.objects.exists()


def test_the_service_refuses_an_out_of_range_date_for_any_caller(cast) -> None:
    from django.core.exceptions import ValidationError

    from instroom.homes.tests.factories import make_home

    with pytest.raises(ValidationError) as caught:
        make_home(cast.corporation_user, cast.corporation, available_from=date(1, 1, 1))
    assert "available_from" in caught.value.message_dict


def test_a_file_of_long_cells_is_refused_without_echoing_them_whole(client, cast) -> None:
    text = "\n".join([HEADER, _row(postcode="9" * 100_000)])
    a = cast.region.municipalities.order_by("cbs_code").first()
    file = SimpleUploadedFile("w.csv", text.replace("{A}", a.name).encode(), "text/csv")
    ((line, named, message),) = _problems(upload(client, cast, file))
    assert (line, named) == (2, "postcode") and len(message) < 300
