"""A corporation imports a list of homes: all rows, or none with every bad row explained."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from instroom.audit.models import AuditEvent
from instroom.homes.models import Home
from instroom.homes.tests.factories import make_home

pytestmark = pytest.mark.django_db

HEADER = (
    "straat;huisnummer;toevoeging;postcode;gemeente;type;kamers;verdieping;lift;huur;"
    "huisdieren;beschikbaar vanaf"
)


def csv_file(cast, *lines: str) -> SimpleUploadedFile:
    a, b = cast.region.municipalities.order_by("cbs_code")
    text = "\n".join([HEADER, *lines]).replace("{A}", a.name).replace("{B}", b.cbs_code)
    return SimpleUploadedFile("woningen.csv", text.encode("utf-8"), content_type="text/csv")


def upload(client, cast, file):
    client.force_login(cast.corporation_user)
    return client.post(reverse("homes:import"), {"file": file})


def test_a_correct_csv_offers_every_home(client, cast) -> None:
    response = upload(
        client,
        cast,
        csv_file(
            cast,
            "Lindelaan;1;;2011 AB;{A};apartment;2;0;nee;650,00;ja;2027-01-15",
            "Lindelaan;3;B;2011AB;{B};studio;1;2;ja;€ 1.012,40;nee;15-1-2027",
        ),
    )
    assert response.status_code == 302
    homes = list(Home.objects.order_by("house_number"))
    assert [(h.house_number, h.house_number_suffix) for h in homes] == [(1, ""), (3, "B")]
    assert str(homes[1].rent_eur) == "1012.40" and homes[1].has_lift and homes[0].pets_allowed
    assert homes[1].available_from == date(2027, 1, 15)
    assert (
        homes[1].municipality.cbs_code
        == cast.region.municipalities.order_by("cbs_code")[1].cbs_code
    )
    assert AuditEvent.objects.filter(action="home.offer").count() == 2


def test_bad_rows_import_nothing_and_each_is_reported_with_its_line(client, cast) -> None:
    response = upload(
        client,
        cast,
        csv_file(
            cast,
            "Lindelaan;1;;2011 AB;{A};apartment;2;0;nee;650,00;ja;2027-01-15",
            "Lindelaan;2;;99999;{A};apartment;2;0;nee;650,00;ja;2027-01-15",
            "Lindelaan;3;;2011 AB;Atlantis;apartment;2;0;nee;650,00;ja;2027-01-15",
            "Lindelaan;4;;2011 AB;{A};kasteel;0;0;misschien;veel;ja;gisteren",
        ),
    )
    assert response.status_code == 400
    assert not Home.objects.exists()
    assert not AuditEvent.objects.filter(action="home.offer").exists()
    errors = {(line, column) for line, column, _message in response.context["errors"]}
    assert (3, "postcode") in errors
    assert (4, "gemeente") in errors
    assert {(5, "type"), (5, "lift"), (5, "huur"), (5, "beschikbaar vanaf")} <= errors
    assert all(line != 2 for line, _c in errors)  # the good row is not blamed


def test_a_row_the_database_refuses_rolls_back_the_rows_before_it(client, cast) -> None:
    make_home(cast.corporation_user, cast.corporation, house_number=9, postcode="2011 AB")
    response = upload(
        client,
        cast,
        csv_file(
            cast,
            "Lindelaan;8;;2011 AB;{A};apartment;2;0;nee;650,00;ja;2027-01-15",
            "Lindelaan;9;;2011 AB;{A};apartment;2;0;nee;650,00;ja;2027-01-15",
            "Lindelaan;10;;2011 AB;{A};apartment;2;0;nee;650,00;ja;2027-01-15",
            "Lindelaan;10;;2011 AB;{A};apartment;2;0;nee;650,00;ja;2027-01-15",
        ),
    )
    assert response.status_code == 400
    assert Home.objects.count() == 1  # only the one offered before
    lines = {line for line, _c, _m in response.context["errors"]}
    assert lines == {3, 5}  # 3: already on offer; 5: same address as line 4
    # (0 rooms is refused while reading the file, with the form's message: see test_bad_input)


def test_an_excel_workbook_is_read_too(client, cast) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    a = cast.region.municipalities.order_by("cbs_code").first()
    sheet.append(
        [
            "Beukenlaan",
            5,
            "",
            "2012 CD",
            a.cbs_code,
            "house",
            3,
            0,
            "nee",
            801.5,
            "nee",
            date(2027, 3, 1),
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("woningen.xlsx", buffer.getvalue())
    assert upload(client, cast, file).status_code == 302
    home = Home.objects.get()
    assert (home.street, home.rooms, str(home.rent_eur)) == ("Beukenlaan", 3, "801.50")
    assert home.available_from == date(2027, 3, 1)


def test_unknown_or_missing_columns_reject_the_file_with_their_names(client, cast) -> None:
    file = SimpleUploadedFile("w.csv", b"straat;huisnummer;kleur\nA;1;rood\n")
    response = upload(client, cast, file)
    assert response.status_code == 200
    error = " ".join(response.context["form"].errors["file"])
    assert "kleur" in error
    assert not Home.objects.exists()


def test_a_file_that_is_no_table_is_refused(client, cast) -> None:
    response = upload(client, cast, SimpleUploadedFile("w.xlsx", b"PK\x03\x04garbage"))
    assert response.context["form"].errors["file"]
    assert not Home.objects.exists()


def test_the_example_file_imports_as_it_is(client, cast) -> None:
    client.force_login(cast.corporation_user)
    example = client.get(reverse("homes:import_template")).content.decode()
    a = cast.region.municipalities.order_by("cbs_code").first()
    example = example.replace("Haarlem", a.name)
    response = client.post(
        reverse("homes:import"), {"file": SimpleUploadedFile("v.csv", example.encode())}
    )
    assert response.status_code == 302
    assert Home.objects.get().street == "Voorbeeldstraat"
