"""The data migration that stores every BSN as nine ASCII digits (issue 24)."""

import importlib

import pytest
from django.apps import apps

from instroom.applications.models import Application, Client
from instroom.applications.tests.factories import make_application

pytestmark = pytest.mark.django_db
migration = importlib.import_module("instroom.applications.migrations.0006_normalise_stored_bsns")


def _stored_as_typed(application: Application, typed: str) -> None:
    Client.objects.filter(pk=application.client_id).update(bsn=typed)
    Application.objects.filter(client_id=application.client_id).update(bsn=typed)


def test_stored_bsns_become_nine_digits_and_a_second_run_changes_nothing(cast, capsys) -> None:
    spaced = make_application(cast.care_worker_a, cast.care_a, complete=False)
    dotted = make_application(cast.care_worker_a, cast.care_a, complete=False)
    wide = make_application(cast.care_worker_a, cast.care_a, complete=False)
    _stored_as_typed(spaced, "5321 1728")
    _stored_as_typed(dotted, "5182.2738")
    _stored_as_typed(wide, "９９９９９００１９")
    migration.normalise_bsns(apps, None)
    migration.normalise_bsns(apps, None)
    stored = {a.pk: (a.client.bsn, a.bsn) for a in Application.objects.select_related("client")}
    assert stored[spaced.pk] == ("053211728", "053211728")
    assert stored[dotted.pk] == ("051822738", "051822738")
    assert stored[wide.pk] == ("999990019", "999990019")


def test_two_active_cases_of_one_person_are_left_and_reported_not_crashed(cast, capsys) -> None:
    first = make_application(cast.care_worker_a, cast.care_a, complete=False, bsn="053211728")
    second = make_application(cast.care_worker_a, cast.care_a, complete=False)
    _stored_as_typed(second, "5321 1728")
    migration.normalise_bsns(apps, None)
    second.refresh_from_db()
    assert second.bsn == "5321 1728"
    output = capsys.readouterr().out
    assert second.client.case_number in output and "5321" not in output  # no BSN in the log
    assert first.client.case_number not in output.split(":")[0]


def test_records_of_one_person_are_linked_in_order(cast) -> None:
    from instroom.applications import services

    first = make_application(cast.care_worker_a, cast.care_a, complete=False, bsn="053211728")
    services.application_withdraw(
        actor=cast.care_worker_a, application=first, reason="Kiest voor een andere woonvorm"
    )
    second = make_application(cast.care_worker_b, cast.care_b, complete=False)
    _stored_as_typed(second, "5321-1728")
    Client.objects.filter(pk=second.client_id).update(previous_client=None)
    migration.normalise_bsns(apps, None)
    second.client.refresh_from_db()
    assert second.client.bsn == "053211728" and second.client.previous_client_id == first.client_id
