"""The offer workflow from proposal to the client's answer, with declines and consequences."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from instroom.accounts.models import Notification
from instroom.applications.models import Application
from instroom.audit.models import AuditEvent
from instroom.homes.models import Home
from instroom.homes.tests.factories import make_home
from instroom.matching import ranking, services
from instroom.matching.models import Match, Parking, Refusal
from instroom.matching.tests.factories import make_approved
from instroom.policy import rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(cast) -> Home:
    return make_home(cast.corporation_user, cast.corporation, rooms=2)


def state(obj):
    obj.refresh_from_db()
    return obj.state


def test_from_proposal_to_the_clients_acceptance(cast, home) -> None:
    application = make_approved(cast)
    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    assert (state(match), state(home), state(application)) == ("proposed", "proposed", "matching")
    assert Notification.objects.filter(
        user=cast.care_worker_a, url__contains=str(match.pk)
    ).exists()
    # Before the care provider agrees the corporation sees a pseudonym only.
    assert rules.client_detail_level(cast.corporation_user, application.client) == "pseudonym"

    services.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
    assert state(match) == "provider_ok"
    fresh = type(cast.corporation_user).objects.get(pk=cast.corporation_user.pk)
    assert rules.client_detail_level(fresh, application.client) == "no_bsn"

    services.match_client_decide(actor=cast.care_worker_a, match=match, accept=True)
    assert (state(match), state(home), state(application)) == ("accepted", "let", "matching")
    # Both leave the open lists: the home is let, the client is no longer in the pool.
    assert not Home.objects.filter(state="open", pk=home.pk).exists()
    assert not Application.objects.filter(state="approved", pk=application.pk).exists()
    actions = list(
        AuditEvent.objects.filter(object_type="matching.match")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["match.propose", "match.provider_accept", "match.client_accept"]


def test_the_care_provider_declines_with_a_reason_and_both_are_free_again(cast, home) -> None:
    application = make_approved(cast)
    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    with pytest.raises(ValidationError):
        services.match_provider_decide(actor=cast.care_worker_a, match=match, accept=False)
    assert state(match) == "proposed"
    services.match_provider_decide(
        actor=cast.care_worker_a,
        match=match,
        accept=False,
        reason="neighbourhood",
        note="Oud netwerk woont om de hoek",
    )
    assert (state(match), state(home), state(application)) == ("provider_no", "open", "approved")
    assert not Refusal.objects.exists()  # the provider's decline is no refusal of the client


def test_unjustified_refusals_park_the_client_and_the_service_point_can_undo(cast) -> None:
    application = make_approved(cast)
    for number in (1, 2):
        home = make_home(cast.corporation_user, cast.corporation, house_number=100 + number)
        match = services.match_propose(
            actor=cast.corporation_user, home=home, application=application
        )
        services.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
        services.match_client_decide(
            actor=cast.care_worker_a, match=match, accept=False, reason="location"
        )
        refusal = Refusal.objects.get(match=match)
        assert refusal.review == "pending"
        with pytest.raises(ValidationError):  # an unjustified judgement needs its reason
            services.refusal_review(actor=cast.coordinator, refusal=refusal, justified=False)
        services.refusal_review(
            actor=cast.coordinator, refusal=refusal, justified=False, note="Woning paste goed"
        )
    assert state(application) == "parked"
    parking = Parking.objects.get(application=application)
    assert parking.until > timezone.localdate() + timedelta(days=150)
    # The parked client is shown in the why-not list with the date.
    home = make_home(cast.corporation_user, cast.corporation, house_number=200)
    ranked = ranking.rank_home(home)
    index = list(ranked.application_ids).index(application.pk)
    assert [r.code for r in ranked.evaluation.reasons(index)] == ["parked"]
    services.parking_end(actor=cast.coordinator, parking=parking, reason="Besluit herzien")
    assert state(application) == "approved"


def test_a_justified_refusal_has_no_consequence(cast, home) -> None:
    application = make_approved(cast)
    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    services.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
    services.match_client_decide(
        actor=cast.care_worker_a, match=match, accept=False, reason="other", note="Te ver van werk"
    )
    services.refusal_review(actor=cast.coordinator, refusal=Refusal.objects.get(), justified=True)
    assert state(application) == "approved"
    assert not Parking.objects.exists()


def test_a_candidate_the_filters_exclude_cannot_be_proposed(cast) -> None:
    home = make_home(cast.corporation_user, cast.corporation, rooms=1)
    application = make_approved(cast)
    Application.objects.filter(pk=application.pk).update(rooms_min=3)
    with pytest.raises(ValidationError) as error:
        services.match_propose(actor=cast.corporation_user, home=home, application=application)
    assert "3" in " ".join(error.value.messages)
    assert not Match.objects.exists() and state(home) == "open"


def test_only_the_right_people_take_each_step(cast, home) -> None:
    application = make_approved(cast)
    for outsider in (cast.care_worker_a, cast.other_coordinator, cast.municipality_user):
        with pytest.raises(PermissionDenied):
            services.match_propose(actor=outsider, home=home, application=application)
    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    for outsider in (cast.care_worker_b, cast.corporation_user, cast.coordinator):
        with pytest.raises(PermissionDenied):
            services.match_provider_decide(actor=outsider, match=match, accept=True)
    with pytest.raises(PermissionDenied):
        services.match_cancel(actor=cast.care_worker_a, match=match, note="x")
    assert state(match) == "proposed"


def test_cancel_after_acceptance_frees_the_home_and_the_client(cast, home) -> None:
    application = make_approved(cast)
    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    services.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
    services.match_client_decide(actor=cast.care_worker_a, match=match, accept=True)
    services.match_cancel(actor=cast.coordinator, match=match, note="Woning blijkt onbewoonbaar")
    assert (state(match), state(home), state(application)) == ("cancelled", "open", "approved")


def test_a_stalled_step_reminds_then_alerts_the_service_point(cast, home) -> None:
    application = make_approved(cast)
    match = services.match_propose(actor=cast.corporation_user, home=home, application=application)
    due = match.step_deadline
    assert services.matches_follow_up(today=due)["reminded"] == 0
    assert services.matches_follow_up(today=due + timedelta(days=1))["reminded"] == 1
    counts = services.matches_follow_up(today=due + timedelta(days=2))
    assert {k: counts[k] for k in ("reminded", "escalated", "unparked")} == {
        "reminded": 0,
        "escalated": 0,
        "unparked": 0,
    }
    assert services.matches_follow_up(today=due + timedelta(days=10))["escalated"] == 1
    assert Notification.objects.filter(
        user=cast.coordinator, subject__contains=application.client.candidate_number
    ).exists()


def test_the_pages_walk_the_same_path(client, cast, home) -> None:
    application = make_approved(cast)
    client.force_login(cast.corporation_user)
    page = client.get(reverse("matching:ranking", args=[home.pk]))
    assert page.status_code == 200
    assert application.client.candidate_number in page.content.decode()
    snapshot = page.context["snapshot"]
    response = client.post(
        reverse("matching:propose", args=[home.pk]),
        {"application": application.pk, "snapshot": snapshot.pk},
    )
    match = Match.objects.get()
    assert response.url == reverse("matching:detail", args=[match.pk])
    assert match.snapshot == snapshot and match.position == 1
    client.force_login(cast.care_worker_a)
    client.post(reverse("matching:provider_decide", args=[match.pk]), {"provider-answer": "yes"})
    client.post(reverse("matching:client_decide", args=[match.pk]), {"client-answer": "yes"})
    assert state(match) == "accepted"


def test_the_ranking_uses_the_preferences_and_exclusions_from_the_application(cast) -> None:
    from instroom.applications import services as app_services
    from instroom.applications.tests.factories import make_application

    a, b = cast.region.municipalities.order_by("cbs_code")
    application = make_application(cast.care_worker_a, cast.care_a, municipality_of_origin=a)
    app_services.application_set_exclusions(
        actor=cast.care_worker_a,
        application=application,
        exclusions=[{"municipality": b, "reason": "network"}],
    )
    approved = make_approved(cast)  # origin a, prefers a (the factory's default)
    from instroom.matching.tests.factories import approve

    approve(cast, application, urgency=2)
    in_a = make_home(cast.corporation_user, cast.corporation, municipality=a)
    in_b = make_home(cast.corporation_user, cast.corporation, municipality=b)
    ranked_a = ranking.rank_home(in_a)
    rows = {r.client_id: r for r in ranked_a.evaluation.rows()}
    assert rows[application.client_id].points["preference"] == 30
    assert rows[application.client_id].points["urgency"] == 20
    assert rows[approved.client_id].points["urgency"] == 0
    ranked_b = ranking.rank_home(in_b)
    assert application.client_id not in {r.client_id for r in ranked_b.evaluation.rows()}
    index = list(ranked_b.application_ids).index(application.pk)
    assert [r.code for r in ranked_b.evaluation.reasons(index)] == ["excluded_municipality"]
