"""The API speaks the region's rules: its dossier weights, and where no table sits, the service
point's own decision with one of the region's contract forms."""

import pytest

from instroom.api.tests.test_intake_api import token_client
from instroom.applications import services as app_services
from instroom.applications.tests.factories import give_rules, make_application
from instroom.regions.rules import TEMPLATE
from instroom.regions.rules.intake import ContractFormRule, Route


@pytest.mark.django_db
def test_the_service_point_decides_through_the_api_where_no_table_sits(cast) -> None:
    version = give_rules(
        cast.region,
        route=Route(assessed_by="service_point", extra_participants_from=""),
        contract_form=(
            *TEMPLATE.contract_form,
            ContractFormRule("youth_home", "Jongerenwoning", "Youth home", support_months=30),
        ),
    )
    application = make_application(cast.care_worker_a, cast.care_a)
    applicant, coordinator = token_client(cast.care_worker_a), token_client(cast.coordinator)
    refused = applicant.patch(
        f"/api/v1/applications/{application.pk}/", {"dossier_weight": "enorm"}, format="json"
    )
    assert refused.status_code == 400 and "dossier_weight" in refused.json()
    app_services.application_submit(actor=cast.care_worker_a, application=application)
    assert coordinator.post(f"/api/v1/applications/{application.pk}/complete/").status_code == 200
    url = f"/api/v1/applications/{application.pk}/decision/"
    assert applicant.post(url, {"outcome": "approve", "reasoning": "x"}).status_code == 403
    refused = coordinator.post(
        url, {"outcome": "approve", "reasoning": "Goed", "contract_form": "palace"}, format="json"
    )
    assert refused.status_code == 400 and "contract_form" in refused.json()
    done = coordinator.post(
        url,
        {"outcome": "approve", "reasoning": "Goed", "contract_form": "youth_home"},
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "approved"
    decision = application.decisions.get()
    assert decision.support_months == 30 and decision.rule_version == version
