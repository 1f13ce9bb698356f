"""What an application needs before it is submitted comes from the region's intake rules: the
fields and documents it requires (the motivation letter, the ambulant care provider and the
consent everywhere) and the kinds of care it admits."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from instroom.applications import services
from instroom.applications.completeness import DOCUMENT_MESSAGES, FIELD_CHECKS, missing_parts
from instroom.applications.tests.factories import give_rules, make_application
from instroom.regions.rules.intake import DOCUMENTS, OPTIONAL_FIELDS, Intake


def test_every_field_and_document_a_region_may_require_is_checked() -> None:
    assert set(FIELD_CHECKS) == set(OPTIONAL_FIELDS)
    assert set(DOCUMENT_MESSAGES) | {"motivation_letter"} == set(DOCUMENTS)
    assert set(services.EXTRA_DOCUMENTS) == set(DOCUMENT_MESSAGES)


@pytest.mark.django_db
def test_a_required_support_plan_blocks_submission_until_uploaded(cast, client) -> None:
    give_rules(cast.region, intake=Intake(required_documents=("motivation_letter", "support_plan")))
    application = make_application(cast.care_worker_a, cast.care_a)
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=cast.care_worker_a, application=application)
    assert any("ondersteuningsplan" in m.lower() for m in error.value.messages)
    # The motivation step asks for it, and takes only a real document.
    client.force_login(cast.care_worker_a)
    url = f"/clients/applications/{application.pk}/edit/motivation/"
    assert 'name="support_plan_file"' in client.get(url).content.decode()
    assert 'name="income_statement_file"' not in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "motivation_text": application.motivation_text,
            "support_plan_file": SimpleUploadedFile("plan.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 200 and not application.documents.exists()
    client.post(
        url,
        {
            "motivation_text": application.motivation_text,
            "support_plan_file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n% plan\n"),
        },
    )
    assert application.documents.get().kind == "support_plan"
    services.application_submit(actor=cast.care_worker_a, application=application)
    application.refresh_from_db()
    assert application.state == "submitted"
    # Those who assess it download it; the read is logged.
    client.force_login(cast.coordinator)
    response = client.get(f"/clients/applications/{application.pk}/documents/support_plan/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_a_region_may_require_fewer_fields_but_never_the_letter(cast) -> None:
    give_rules(cast.region, intake=Intake(required_fields=()))
    application = make_application(cast.care_worker_a, cast.care_a, complete=False)
    services.application_record_consent(
        actor=cast.care_worker_a, application=application, given=True
    )
    # Only the letter is missing (rooms, income, weight … are not required here).
    assert [m.step for m in missing_parts(application)] == ["motivation"]
    services.application_update(
        actor=cast.care_worker_a, application=application, motivation_text="Ik wil zelf wonen."
    )
    services.application_submit(actor=cast.care_worker_a, application=application)
    application.refresh_from_db()
    assert application.state == "submitted"


@pytest.mark.django_db
def test_a_region_may_require_the_current_facility(cast) -> None:
    give_rules(cast.region, intake=Intake(required_fields=("current_facility",)))
    application = make_application(cast.care_worker_a, cast.care_a)
    assert [m.step for m in missing_parts(application)] == ["identity"]
    services.application_update(
        actor=cast.care_worker_a, application=application, current_facility="De Linde"
    )
    assert missing_parts(application) == []


@pytest.mark.django_db
def test_the_admitted_sources_are_the_rules(cast) -> None:
    assert cast.region.admitted_sources == ("bw", "mo")  # the template
    give_rules(cast.region, intake=Intake(admitted_sources=("mo",)))
    assert cast.region.admitted_sources == ("mo",)
    with pytest.raises(ValidationError) as error:
        make_application(cast.care_worker_a, cast.care_a, source="bw")
    assert "source" in error.value.message_dict
