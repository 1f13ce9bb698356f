"""Upgrading keeps what a region had set for its support phase: the former support settings,
checklist and contract texts become a rules version of the region."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from instroom.regions.selectors import rules_for

BEFORE = [
    ("support", "0002_meeting_uid_length"),
    ("matching", "0005_rules_replace_settings"),
    ("regions", "0005_rule_versions"),
]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture(autouse=True)
def back_to_the_latest_schema():
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_regions_own_support_settings_become_its_rules() -> None:
    migrate(BEFORE)
    state = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    region = state.get_model("regions", "Region").objects.create(
        slug="oud", name="Oude regio", start_year=2022
    )
    state.get_model("support", "SupportSettings").objects.create(
        region=region,
        evaluation_months=[4, 8],
        timeout_max_days=45,
        three_party_text="## Artikel 1\nEigen tekst van de regio.",
    )
    questions = state.get_model("support", "ChecklistQuestion")
    questions.objects.create(region=region, position=1, text="Gaat het goed met de buren?")
    questions.objects.create(region=region, position=2, text="Uitgezet", active=False)

    migrate([("support", "0003_support_method_from_the_rules")])

    in_force = rules_for(region.pk)
    assert in_force.number == 1
    support = in_force.rules.support
    assert support.timeout_max_days == 45
    evaluation = next(k for k in support.meeting_kind if k.moment == "months_after_move_in")
    assert evaluation.months == (4, 8)
    assert [q.text_nl for q in support.checklist] == ["Gaat het goed met de buren?"]
    form = in_force.rules.term("contract_form", "three_party")
    assert form.agreement_nl == "## Artikel 1\nEigen tekst van de regio."
