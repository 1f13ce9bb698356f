"""After an offer fails: one click proposes the next eligible candidate of the stored ranking;
an offer closed by mistake is reopened by the service point."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import override

from instroom.accounts.models import Notification
from instroom.applications import services as app_services
from instroom.audit.models import AuditEvent
from instroom.homes.tests.factories import make_home
from instroom.matching import ranking, services
from instroom.matching.models import Match, Refusal
from instroom.matching.tests.factories import make_approved

pytestmark = pytest.mark.django_db


def state(obj):
    obj.refresh_from_db()
    return obj.state


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def ranked(cast):
    """A home and four candidates (positions 1 to 4, in this order), with the ranking stored as
    the corporation saw it, and the first candidate proposed from it."""
    home = make_home(cast.corporation_user, cast.corporation, rooms=2)
    made = {a.pk: a for a in (make_approved(cast, urgency=u) for u in (2, 1, 0, 0))}
    snapshot = ranking.snapshot_store(
        ranking.rank_home(home), actor=cast.corporation_user, purpose="page"
    )
    candidates = [made[r["application_id"]] for r in snapshot.eligible]
    assert [r["position"] for r in snapshot.eligible] == [1, 2, 3, 4]
    first = services.match_propose(
        actor=cast.corporation_user, home=home, application=candidates[0], snapshot=snapshot
    )
    return home, candidates, first


def decline(cast, match) -> None:
    services.match_provider_decide(
        actor=cast.care_worker_a, match=match, accept=False, reason="location"
    )


def test_after_a_decline_one_click_proposes_the_next_candidate(client, cast, ranked) -> None:
    home, candidates, first = ranked
    decline(cast, first)
    client.force_login(cast.corporation_user)
    page = client.get(reverse("matching:detail", args=[first.pk]))
    assert "Volgende kandidaat voordragen" in page.content.decode()

    response = client.post(reverse("matching:propose_next", args=[first.pk]), follow=True)
    second = Match.objects.get(home=home, state="proposed")
    assert second.application == candidates[1] and second.position == 2
    assert response.redirect_chain[-1][0] == reverse("matching:detail", args=[second.pk])
    assert "op positie 2 van de rangorde, is voorgedragen" in messages_of(response)
    assert Notification.objects.filter(user=cast.care_worker_a, kind="match.answer").count() == 2


def test_candidates_no_longer_eligible_are_skipped_and_named(client, cast, ranked) -> None:
    home, candidates, first = ranked
    # Position 2 is matched elsewhere meanwhile, position 3 withdrew.
    services.match_propose(
        actor=cast.corporation_user,
        home=make_home(cast.corporation_user, cast.corporation, rooms=2),
        application=candidates[1],
    )
    app_services.application_withdraw(
        actor=cast.care_worker_a, application=candidates[2], reason="Verhuisd"
    )
    services.match_cancel(actor=cast.corporation_user, match=first, note="Dubbel ingevoerd")

    client.force_login(cast.corporation_user)
    response = client.post(reverse("matching:propose_next", args=[first.pk]), follow=True)
    proposed = Match.objects.get(home=home, state="proposed")
    assert proposed.application == candidates[3] and proposed.position == 4
    said = messages_of(response)
    assert "Overgeslagen omdat ze niet meer in aanmerking komen" in said
    assert f"{candidates[1].client.candidate_number} (Bemiddeling loopt)" in said
    assert f"{candidates[2].client.candidate_number} (Ingetrokken)" in said


def test_when_the_ranking_is_used_up_it_says_to_rank_again(client, cast) -> None:
    home = make_home(cast.corporation_user, cast.corporation, rooms=2)
    only = make_approved(cast)
    snapshot = ranking.snapshot_store(
        ranking.rank_home(home), actor=cast.corporation_user, purpose="page"
    )
    match = services.match_propose(
        actor=cast.corporation_user, home=home, application=only, snapshot=snapshot
    )
    decline(cast, match)
    client.force_login(cast.corporation_user)
    response = client.post(reverse("matching:propose_next", args=[match.pk]), follow=True)
    assert "geen kandidaat meer over in de rangorde" in messages_of(response)
    assert "Rangschik opnieuw" in messages_of(response)
    assert not Match.objects.filter(state="proposed").exists()
    # The page offers the new ranking right there.
    assert reverse("matching:ranking", args=[home.pk]) in response.content.decode()


def test_the_next_candidate_only_after_the_offer_ended_and_by_who_may_propose(
    client, cast, ranked
) -> None:
    _home, candidates, first = ranked
    with pytest.raises(ValidationError):
        services.match_propose_next(actor=cast.corporation_user, match=first)
    decline(cast, first)
    with pytest.raises(PermissionDenied):
        services.match_propose_next(actor=cast.care_worker_a, match=first)
    client.force_login(cast.care_worker_a)
    assert client.post(reverse("matching:propose_next", args=[first.pk])).status_code == 403
    # The service point may propose for the home as well.
    proposed, skipped = services.match_propose_next(actor=cast.coordinator, match=first)
    assert proposed.application == candidates[1] and skipped == []


# -- reopening ------------------------------------------------------------------------------


def test_the_service_point_reopens_a_decline_made_in_error(client, cast, ranked) -> None:
    home, candidates, first = ranked
    decline(cast, first)
    client.force_login(cast.coordinator)
    url = reverse("matching:reopen", args=[first.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Heropen haar alleen als ze per vergissing is gesloten" in page.content.decode()
    # Without a reason: the page again, with the question what went wrong.
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Dit veld is verplicht" in response.content.decode()
    assert state(first) == "provider_no"

    response = client.post(url, {"reason": "Per ongeluk afgewezen"})
    assert response.url == reverse("matching:detail", args=[first.pk])
    assert (state(first), state(home), state(candidates[0])) == ("proposed", "proposed", "matching")
    event = AuditEvent.objects.get(action="match.reopen")
    assert event.client_id == candidates[0].client_id and event.note.text == "Per ongeluk afgewezen"
    assert Notification.objects.filter(user=cast.care_worker_a, kind="match.reopened").exists()
    assert Notification.objects.filter(user=cast.corporation_user, kind="match.reopened").exists()


def test_a_client_decline_reopens_at_the_clients_answer_and_drops_the_refusal(cast, ranked):
    _home, _candidates, first = ranked
    services.match_provider_decide(actor=cast.care_worker_a, match=first, accept=True)
    services.match_client_decide(
        actor=cast.care_worker_a, match=first, accept=False, reason="other", note="Vergist"
    )
    task = Notification.objects.get(user=cast.coordinator, kind="match.judge_refusal")
    services.match_reopen(actor=cast.coordinator, match=first, reason="Cliënt wil toch wel")
    assert state(first) == "provider_ok"
    assert not Refusal.objects.filter(match=first).exists()
    task.refresh_from_db()
    assert task.done_at is not None
    # The client may decline again later: a new refusal is recorded then.
    services.match_client_decide(
        actor=cast.care_worker_a, match=first, accept=False, reason="location"
    )
    assert Refusal.objects.filter(match=first).exists()


def test_a_cancelled_acceptance_reopens_as_accepted(cast, ranked) -> None:
    home, candidates, first = ranked
    services.match_provider_decide(actor=cast.care_worker_a, match=first, accept=True)
    services.match_client_decide(actor=cast.care_worker_a, match=first, accept=True)
    services.match_cancel(actor=cast.coordinator, match=first, note="Verkeerde woning")
    services.match_reopen(actor=cast.coordinator, match=first, reason="Toch de goede woning")
    assert (state(first), state(home), state(candidates[0])) == ("accepted", "let", "matching")


def test_reopening_is_refused_when_the_home_or_the_client_is_taken(cast, ranked) -> None:
    _home, candidates, first = ranked
    decline(cast, first)
    services.match_propose_next(actor=cast.corporation_user, match=first)
    with override("nl"), pytest.raises(ValidationError) as refused:
        services.match_reopen(actor=cast.coordinator, match=first, reason="Vergissing")
    assert "De woning is niet meer vrij" in refused.value.messages[0]

    other = make_home(cast.corporation_user, cast.corporation, rooms=2)
    elsewhere = services.match_propose(
        actor=cast.corporation_user, home=other, application=candidates[2]
    )
    decline(cast, elsewhere)
    services.match_propose(
        actor=cast.corporation_user,
        home=make_home(cast.corporation_user, cast.corporation, rooms=2),
        application=candidates[2],
    )
    with override("nl"), pytest.raises(ValidationError) as refused:
        services.match_reopen(actor=cast.coordinator, match=elsewhere, reason="Vergissing")
    number = candidates[2].client.candidate_number
    assert f"Kandidaat {number} is niet meer vrij" in refused.value.messages[0]
    assert state(elsewhere) == "provider_no"


def test_only_the_service_point_of_the_region_reopens(client, cast, ranked) -> None:
    _home, _candidates, first = ranked
    decline(cast, first)
    with pytest.raises(PermissionDenied):
        services.match_reopen(actor=cast.corporation_user, match=first, reason="x")
    url = reverse("matching:reopen", args=[first.pk])
    for persona, status in (
        ("corporation_user", 403),
        ("care_worker_a", 403),
        ("other_coordinator", 404),
    ):
        client.force_login(getattr(cast, persona))
        assert client.post(url, {"reason": "Vergissing"}).status_code == status, persona
    assert state(first) == "provider_no"
    # A running offer has nothing to reopen: the page says so.
    client.force_login(cast.coordinator)
    running = services.match_propose_next(actor=cast.corporation_user, match=first)[0]
    response = client.get(reverse("matching:reopen", args=[running.pk]), follow=True)
    assert "Deze voordracht is niet gesloten" in messages_of(response)


def test_an_offer_whose_contract_was_withdrawn_is_not_reopened(cast) -> None:
    """Reopening put the offer back to "accepted" with its withdrawn contract still attached
    (one contract per offer): no new contract could be drawn up and the daily run skipped it."""
    from instroom.support import services as support
    from instroom.support.tests.factories import accepted_match

    match = accepted_match(cast)
    contract = support.contract_prepare(actor=cast.corporation_user, match=match)
    support.contract_withdraw(actor=cast.corporation_user, contract=contract, reason="Dubbel")
    match.refresh_from_db()
    assert match.state == "cancelled"
    with override("nl"), pytest.raises(ValidationError) as info:
        services.match_reopen(actor=cast.coordinator, match=match, reason="Per ongeluk gesloten")
    assert "contract opgesteld en ingetrokken" in info.value.messages[0]
    match.refresh_from_db()
    assert match.state == "cancelled"
