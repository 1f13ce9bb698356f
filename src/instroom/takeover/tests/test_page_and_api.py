"""The coordinator's page /overname/ and POST /api/v1/takeover/: who may, dry run, import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from instroom.applications.models import Client
from instroom.conftest import PERSONAS
from instroom.takeover.models import TakenOverCase
from instroom.takeover.reading import COLUMNS
from instroom.takeover.tests.files import as_csv, pool_row
from instroom.takeover.tests.test_takeover import small_file

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "zaken.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_only_the_coordinator_opens_the_page_and_the_template(client, cast) -> None:
    for name, user in cast.personas().items():
        client.force_login(user)
        expected = 200 if name in {"coordinator", "other_coordinator"} else 403
        for url in (reverse("takeover:index"), reverse("takeover:template")):
            assert client.get(url).status_code == expected, (name, url)
    client.logout()
    assert client.get(reverse("takeover:index")).status_code == 302
    assert "coordinator" in PERSONAS


def test_the_coordinators_menu_links_the_page(client, cast) -> None:
    client.force_login(cast.coordinator)
    assert reverse("takeover:index") in client.get("/").content.decode()
    client.force_login(cast.administrator)
    assert reverse("takeover:index") not in client.get("/").content.decode()


def test_the_templates_name_every_column_and_give_an_example_per_kind(client, cast) -> None:
    client.force_login(cast.coordinator)
    text = client.get(reverse("takeover:template")).content.decode("utf-8")
    lines = text.strip().splitlines()
    assert lines[0].split(";") == [c.header for c in COLUMNS]
    assert [line.split(";")[0] for line in lines[1:]] == ["pool", "tenancy"]
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("takeover:template") + "?formaat=xlsx").content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in COLUMNS] and len(rows) == 3


def test_dry_run_then_confirmed_import_on_the_page(client, cast) -> None:
    client.force_login(cast.coordinator)
    url = reverse("takeover:index")
    content = as_csv(small_file(cast.region))
    page = client.post(url, {"file": upload(content), "region": cast.region.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 cliënt in de pool" in html and "1 huurder met begeleiding" in html
    assert Client.objects.count() == 0
    # Importing asks for the confirmation that it cannot be undone.
    sha = page.context["outcome"].sha256
    refused = client.post(url, {"confirm_import": "1", "sha256": sha})
    assert refused.status_code == 400 and Client.objects.count() == 0
    done = client.post(url, {"confirm_import": "1", "sha256": sha, "confirm": "on"})
    assert done.status_code == 302
    assert TakenOverCase.objects.filter(region=cast.region).count() == 2
    # The checked file was used once: a second confirmation asks for a new dry run.
    again = client.post(url, {"confirm_import": "1", "sha256": sha, "confirm": "on"})
    assert again.status_code == 302 and TakenOverCase.objects.count() == 2


def test_the_page_lists_the_rows_to_fix_and_imports_nothing(client, cast) -> None:
    client.force_login(cast.coordinator)
    rows = small_file(cast.region)
    rows[1]["moved_in_on"] = "31-02-2026"
    page = client.post(
        reverse("takeover:index"), {"file": upload(as_csv(rows)), "region": cast.region.pk}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Rij" in html and "verhuisd op" in html and "is geen datum" in html
    assert "confirm_import" not in html
    assert Client.objects.count() == 0


def test_a_file_that_is_no_table_gets_one_message(client, cast) -> None:
    client.force_login(cast.coordinator)
    page = client.post(
        reverse("takeover:index"),
        {"file": upload(b"\x00\x01binary", "foto.png"), "region": cast.region.pk},
    )
    assert page.status_code == 400
    assert "Upload een CSV-bestand (UTF-8) of een Excel-bestand" in page.content.decode()


def test_the_api_checks_imports_and_refuses(cast) -> None:
    from instroom.api.tests.test_intake_api import token_client

    api = token_client(cast.coordinator)
    url = reverse("api:takeover")
    content = as_csv(small_file(cast.region))
    checked = api.post(url, {"file": upload(content)}, format="multipart")
    assert checked.status_code == 200, checked.content
    assert checked.json()["summary"]["pool"] == 1 and not checked.json()["imported"]
    assert Client.objects.count() == 0

    done = api.post(url, {"file": upload(content), "dry_run": "false"}, format="multipart")
    assert done.status_code == 201 and done.json()["imported"]
    assert Client.objects.count() == 2

    bad = pool_row(cast.region, 9, "123456789", small_date())
    refused = api.post(url, {"file": upload(as_csv([bad])), "dry_run": "false"}, format="multipart")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["row"] == 2 and refused.json()["errors"][0]["column"]
    assert Client.objects.count() == 2

    for user in (cast.administrator, cast.care_worker_a, cast.municipality_user):
        answer = token_client(user).post(url, {"file": upload(content)}, format="multipart")
        assert answer.status_code == 403
    other = token_client(cast.other_coordinator).post(
        url, {"file": upload(content), "region": cast.region.slug}, format="multipart"
    )
    assert other.status_code == 404


def small_date():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() - timedelta(days=3)


def test_taken_over_cases_open_and_rank_like_any_other(client, cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from instroom.homes.tests.factories import make_home
    from instroom.matching import ranking
    from instroom.support.models import Contract
    from instroom.takeover import services

    today = timezone.localdate()
    rows = small_file(cast.region)
    outcome = services.takeover_import(
        actor=cast.coordinator,
        region=cast.region,
        file_name="zaken.csv",
        content=as_csv(rows),
        dry_run=False,
    )
    assert outcome.imported
    client.force_login(cast.coordinator)
    waiting = TakenOverCase.objects.get(kind="pool").client
    page = client.get(reverse("applications:client", args=[waiting.pk]))
    assert page.status_code == 200
    assert "Overgenomen uit de eerdere regeling (kenmerk OUD-P0000)" in page.content.decode()
    contract = Contract.objects.get()
    assert client.get(reverse("support:contract", args=[contract.pk])).status_code == 200
    assert waiting.last_name in client.get(reverse("matching:pool")).content.decode()

    # The match point ranks the waiting client with the waiting time of the earlier scheme.
    home = make_home(cast.corporation_user, cast.corporation, rooms=1)
    ranked = ranking.rank_home(home, today=today)
    approved = {
        ranked.candidate(i).candidate_number: ranked.candidate(i).approved_on
        for i in range(len(ranked.application_ids))
    }
    assert approved[waiting.candidate_number] == today - timedelta(days=100)


def test_the_form_carries_the_coordinators_only_region(client, cast) -> None:
    client.force_login(cast.coordinator)
    html = client.get(reverse("takeover:index")).content.decode()
    assert f'type="hidden" name="region" value="{cast.region.pk}"' in html


def test_a_request_without_a_file_gets_the_same_answer_shape_with_row_0(cast) -> None:
    """Found by the API fuzzer: a `file` field that is no file answered in another shape than
    the schema's; now every 400 is the result with the problems (row 0: the request)."""
    from instroom.api.tests.test_intake_api import token_client

    url = reverse("api:takeover")
    answer = token_client(cast.coordinator).post(url, {"file": "geen bestand"}, format="multipart")
    assert answer.status_code == 400
    body = answer.json()
    assert body["imported"] is False and body["dry_run"] is True
    assert body["errors"][0]["row"] == 0 and body["errors"][0]["column"] == "file"
    assert token_client(cast.care_worker_a).post(url, {}, format="multipart").status_code == 403
