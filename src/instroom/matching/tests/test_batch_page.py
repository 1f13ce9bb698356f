"""The coordinator runs batch matching in the background, reviews the proposal with each pair's
points, and confirms a selection, which become ordinary proposals. Nothing is matched without
that confirmation."""

import pytest
from django.urls import reverse

from instroom.homes.tests.factories import make_home
from instroom.matching.models import BatchRun, Match
from instroom.matching.tests.factories import make_approved

pytestmark = pytest.mark.django_db


def test_run_review_and_confirm_a_selection(client, cast) -> None:
    first, second = make_approved(cast), make_approved(cast)
    home_a = make_home(cast.corporation_user, cast.corporation, rooms=1)
    home_b = make_home(cast.corporation_user, cast.corporation, rooms=2)
    client.force_login(cast.coordinator)
    assert client.get(reverse("matching:batch")).status_code == 200
    response = client.post(reverse("matching:batch"))
    run = BatchRun.objects.get()
    assert response.url == reverse("matching:batch_run", args=[run.pk])
    assert run.status == "done" and run.progress == 100  # the test backend runs it at once
    assert run.report["total"] > 0 and run.report["optimal"] is True
    assert "price_of_fairness" in run.report
    assert {p["application_id"] for p in run.pairs} == {first.pk, second.pk}
    assert not Match.objects.exists()  # nothing happens before a person confirms

    page = client.get(reverse("matching:batch_run", args=[run.pk])).content.decode()
    assert first.client.candidate_number in page and first.client.last_name not in page
    progress = client.get(reverse("matching:batch_run", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert 'id="batch-progress"' in progress.content.decode()

    client.post(reverse("matching:batch_confirm", args=[run.pk]), {"pair": ["0"]})
    match = Match.objects.get()
    assert match.state == "proposed"
    assert {match.home_id} <= {home_a.pk, home_b.pk}
    run.refresh_from_db()
    assert run.confirmed_by == cast.coordinator
    # A second confirmation is refused; nothing more is proposed.
    client.post(reverse("matching:batch_confirm", args=[run.pk]), {"pair": ["1"]})
    assert Match.objects.count() == 1


def test_a_pair_that_is_no_longer_possible_is_reported_not_forced(client, cast) -> None:
    application = make_approved(cast)
    home = make_home(cast.corporation_user, cast.corporation)
    client.force_login(cast.coordinator)
    client.post(reverse("matching:batch"))
    run = BatchRun.objects.get()
    # Meanwhile the corporation proposed the same candidate for the home itself.
    from instroom.matching import services

    services.match_propose(actor=cast.corporation_user, home=home, application=application)
    response = client.post(
        reverse("matching:batch_confirm", args=[run.pk]), {"pair": ["0"]}, follow=True
    )
    assert Match.objects.count() == 1
    assert any("Spaarn" not in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("persona", ["corporation_user", "care_worker_a", "municipality_user"])
def test_only_the_service_point_runs_batches(client, cast, persona) -> None:
    client.force_login(cast.personas()[persona])
    assert client.get(reverse("matching:batch")).status_code == 403
    assert client.post(reverse("matching:batch")).status_code == 403
    assert not BatchRun.objects.exists()
