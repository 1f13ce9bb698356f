"""The multi-step application form as an applicant worker uses it."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from instroom.applications.constants import MOTIVATION_MAX_BYTES
from instroom.applications.models import Application
from instroom.applications.tests.factories import make_application


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.django_db
def test_identity_step_creates_a_draft_and_refuses_a_bad_bsn(client, cast) -> None:
    client.force_login(cast.care_worker_a)
    municipality = cast.region.municipalities.first()
    data = {
        "first_name": "Sanne",
        "last_name": "Fictief",
        "bsn": "123456789",
        "date_of_birth": "1990-01-01",
        "source": "bw",
        "municipality_of_origin": municipality.pk,
        "support_provider": cast.care_b.pk,
    }
    page = client.post(reverse("applications:create"), data)
    assert page.status_code == 200 and "11" in page.content.decode()
    assert not Application.objects.exists()
    data["bsn"] = "999990019"
    response = client.post(reverse("applications:create"), data)
    application = Application.objects.get()
    assert response.url == reverse("applications:step", args=[application.pk, "household"])
    assert application.state == "draft" and application.client.support_provider == cast.care_b


@pytest.mark.django_db
def test_impossible_date_of_birth_is_refused(client, cast) -> None:
    client.force_login(cast.care_worker_a)
    page = client.post(
        reverse("applications:create"),
        {
            "first_name": "A",
            "last_name": "B",
            "bsn": "999990019",
            "date_of_birth": "2090-01-01",
            "source": "bw",
            "municipality_of_origin": cast.region.municipalities.first().pk,
            "support_provider": cast.care_a.pk,
        },
    )
    assert page.status_code == 200 and not Application.objects.exists()
    assert 'aria-invalid="true"' in page.content.decode()


@pytest.mark.django_db
def test_household_step_saves_ordered_preferences_and_exclusions(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a, complete=False)
    a, b = cast.region.municipalities.order_by("cbs_code")
    client.force_login(cast.care_worker_a)
    response = client.post(
        reverse("applications:step", args=[application.pk, "household"]),
        {
            "household_adults": 1,
            "household_children": 0,
            "rooms_min": 2,
            "preference_1": b.pk,
            "preference_2": a.pk,
            "exclusion_1_place": f"m{a.pk}",
            "exclusion_1_reason": "safety",
            "next": "1",
        },
    )
    # a municipality both preferred and excluded is refused, nothing half-saved
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.rooms_min is None and not application.preferences.exists()
    response = client.post(
        reverse("applications:step", args=[application.pk, "household"]),
        {
            "household_adults": 1,
            "household_children": 0,
            "rooms_min": 2,
            "preference_1": b.pk,
            "exclusion_1_place": f"m{a.pk}",
            "exclusion_1_reason": "safety",
            "next": "1",
        },
    )
    assert response.status_code == 302 and response.url.endswith("/support/")
    assert [p.municipality for p in application.preferences.all()] == [b]
    assert application.exclusions.get().reason == "safety"


@pytest.mark.parametrize(
    ("content", "name", "accepted"),
    [
        (b"%PDF-1.7\n...", "brief.pdf", "pdf"),
        (docx_bytes(), "brief.docx", "docx"),
        (odt_bytes(), "brief.odt", "odt"),
        (b"MZ\x90\x00 not a pdf", "brief.pdf", None),  # disguised executable
        (b"PK\x03\x04broken zip", "brief.docx", None),
    ],
)
@pytest.mark.django_db
def test_motivation_upload_is_checked_by_content(client, cast, content, name, accepted) -> None:
    application = make_application(cast.care_worker_a, cast.care_a, complete=False)
    client.force_login(cast.care_worker_a)
    client.post(
        reverse("applications:step", args=[application.pk, "motivation"]),
        {"motivation_text": "", "motivation_file": SimpleUploadedFile(name, content)},
    )
    application.refresh_from_db()
    assert (application.motivation_file_type or None) == accepted
    assert bool(application.motivation_file) == bool(accepted)


@pytest.mark.django_db
def test_oversized_upload_is_refused_with_the_limit(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a, complete=False)
    client.force_login(cast.care_worker_a)
    big = SimpleUploadedFile("groot.pdf", b"%PDF-" + b"0" * MOTIVATION_MAX_BYTES)
    page = client.post(
        reverse("applications:step", args=[application.pk, "motivation"]),
        {"motivation_text": "", "motivation_file": big},
    )
    assert "5 MB" in page.content.decode()
    application.refresh_from_db()
    assert not application.motivation_file


@pytest.mark.django_db
def test_submit_says_exactly_what_is_missing(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a, complete=False)
    client.force_login(cast.care_worker_a)
    page = client.get(
        reverse("applications:step", args=[application.pk, "consent"])
    ).content.decode()
    assert f'href="/clients/applications/{application.pk}/edit/motivation/"' in page
    response = client.post(reverse("applications:submit", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert application.state == "draft"
    assert "woonbegeleiding" in response.content.decode()


@pytest.mark.django_db
def test_double_submit_acts_once(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.care_worker_a)
    client.post(reverse("applications:submit", args=[application.pk]))
    second = client.post(reverse("applications:submit", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert application.state == "submitted"
    assert application.client.applications.count() == 1
    from instroom.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="application.submit").count() == 1
    assert "alert--error" in second.content.decode()


@pytest.mark.django_db
def test_submitted_application_can_no_longer_be_edited(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)
    client.force_login(cast.care_worker_a)
    client.post(reverse("applications:submit", args=[application.pk]))
    response = client.post(
        reverse("applications:step", args=[application.pk, "dossier"]), {"dossier_weight": "heavy"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.dossier_weight == "light"


@pytest.mark.django_db
def test_motivation_letter_is_only_for_those_who_may_see_the_client(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a, complete=False)
    client.force_login(cast.care_worker_a)
    client.post(
        reverse("applications:step", args=[application.pk, "motivation"]),
        {"motivation_text": "", "motivation_file": SimpleUploadedFile("b.pdf", b"%PDF-1.4 x")},
    )
    url = reverse("applications:motivation", args=[application.pk])
    assert client.get(url).status_code == 200
    for user in (cast.care_worker_b, cast.corporation_user, cast.municipality_user):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)


@pytest.mark.django_db
def test_returned_application_notifies_the_applicant(client, cast) -> None:
    from instroom.accounts.models import Notification
    from instroom.applications import services

    application = make_application(cast.care_worker_a, cast.care_a)
    services.application_submit(actor=cast.care_worker_a, application=application)
    assert Notification.objects.filter(user=cast.coordinator).count() == 1
    services.application_return(
        actor=cast.coordinator, application=application, reason="Brief mist"
    )
    task = Notification.objects.get(user=cast.care_worker_a)
    assert application.client.case_number in task.subject
    client.force_login(cast.care_worker_a)
    assert task.subject in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_saved_date_is_shown_back_in_the_date_picker_in_dutch_too(client, cast) -> None:
    """The browser's date picker only takes yyyy-mm-dd; a Dutch 17-05-1990 would be emptied
    and the next save would fail for want of a date of birth."""
    from instroom.applications.tests.factories import make_application

    application = make_application(cast.care_worker_a, cast.care_a, complete=False)
    client.force_login(cast.care_worker_a)
    page = client.get(
        f"/clients/applications/{application.pk}/edit/identity/", HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert 'type="date"' in page
    assert f'value="{application.client.date_of_birth.isoformat()}"' in page


@pytest.mark.django_db
def test_the_empty_choice_of_a_select_is_dutch(client, cast) -> None:
    client.force_login(cast.care_worker_a)
    page = client.get(reverse("applications:create"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "- Kies een optie -" in page and "Select an option" not in page


@pytest.mark.django_db
def test_the_letter_is_not_called_optional(client, cast) -> None:
    """A letter is required before submitting (typed or uploaded): the page says so."""
    application = make_application(cast.care_worker_a, cast.care_a, complete=False)
    client.force_login(cast.care_worker_a)
    page = client.get(
        reverse("applications:step", args=[application.pk, "motivation"]),
        HTTP_ACCEPT_LANGUAGE="nl",
    ).content.decode()
    assert "Verplicht voor het indienen" in page and "(optioneel)" not in page


@pytest.mark.django_db
def test_income_reads_as_money_and_budget_management_apart(client, cast) -> None:
    application = make_application(cast.care_worker_a, cast.care_a)  # income 21000, no budget help
    client.force_login(cast.care_worker_a)
    page = client.get(
        reverse("applications:client", args=[application.client_id]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "€ 21.000,00" in page and "21000,00; " not in page
