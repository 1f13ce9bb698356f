"""Clusters end to end: the corporation offers a woonvorm of four places through the page, the
ranking of a free place shows how each candidate fits the residents and excludes whoever breaks
the region's co-tenancy rules (the proposal refuses them alike), two places are filled through
the pages, and each place counts as one home for the quota; a cluster's places do not block
each other through the complex cap."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from instroom.distribution import selectors as distribution
from instroom.homes.models import Cluster, Home
from instroom.homes.tests.factories import make_cluster, make_home
from instroom.homes.tests.test_cluster import cluster_data
from instroom.matching import clusters, ranking, services
from instroom.matching.models import CotenantMark, Match
from instroom.matching.tests.factories import make_approved, set_matching_rules
from instroom.regions.models import QuotaYear
from instroom.regions.rules.matching import Cotenancy
from instroom.support import services as support
from instroom.support.models import Contract

pytestmark = pytest.mark.django_db


def born(years_ago: int) -> date:
    today = timezone.localdate()
    return date(today.year - years_ago, 1, 1)


def fill_through_the_pages(client, cast, home: Home, application) -> None:
    """Propose from the ranking, the care provider and the client accept, the contract is
    prepared and signed: every step a page."""
    client.force_login(cast.corporation_user)
    page = client.get(reverse("matching:ranking", args=[home.pk]))
    response = client.post(
        reverse("matching:propose", args=[home.pk]),
        {"application": application.pk, "snapshot": page.context["snapshot"].pk},
    )
    match = Match.objects.get(home=home, application=application)
    assert response.url == reverse("matching:detail", args=[match.pk])
    client.force_login(cast.care_worker_a)
    client.post(reverse("matching:provider_decide", args=[match.pk]), {"provider-answer": "yes"})
    client.post(reverse("matching:client_decide", args=[match.pk]), {"client-answer": "yes"})
    client.force_login(cast.corporation_user)
    client.post(reverse("support:prepare", args=[match.pk]))
    contract = Contract.objects.get(match=match)
    today = timezone.localdate().isoformat()
    client.post(
        reverse("support:sign", args=[contract.pk]),
        {"sign-signed_on": today, "sign-key_handover_on": today, "sign-planned_move_in_on": today},
    )
    contract.refresh_from_db()
    assert contract.state == "signed"


def test_a_cluster_of_four_offered_ranked_filled_and_counted(client, cast) -> None:
    year = timezone.localdate().year
    cast.region.start_year = year
    cast.region.save()
    QuotaYear.objects.update_or_create(region=cast.region, year=year, defaults={"total_homes": 20})
    set_matching_rules(cast.region, cotenancy=Cotenancy(max_age_gap=10, max_heavy=1))
    client.force_login(cast.corporation_user)
    client.post(reverse("homes:cluster_create"), cluster_data(cast, places=4))
    cluster = Cluster.objects.get()
    one, two, three, four = cluster.homes.order_by("place")

    first = make_approved(cast, date_of_birth=born(30))
    second = make_approved(cast, date_of_birth=born(32))
    fill_through_the_pages(client, cast, one, first)
    fill_through_the_pages(client, cast, two, second)

    young = make_approved(cast, date_of_birth=born(28))
    old = make_approved(cast, date_of_birth=born(55))
    client.force_login(cast.corporation_user)
    page = client.get(reverse("matching:ranking", args=[three.pk]), HTTP_ACCEPT_LANGUAGE="nl")
    html = page.content.decode()
    eligible = [item["row"].candidate_number for item in page.context["eligible"]]
    excluded = {
        item["candidate"].candidate_number: item["reasons"] for item in page.context["excluded"]
    }
    assert young.client.candidate_number in eligible
    assert "leeftijdsverschil met bewoners 4 jaar (max 10)" in html
    assert [code for code, _ in excluded[old.client.candidate_number]] == [
        "cotenant_age_gap",
        "cotenant_age_gap",
    ]
    assert "Het leeftijdsverschil met bewoner" in html

    # The proposal refuses the same candidate with the same reason.
    with pytest.raises(ValidationError):
        services.match_propose(actor=cast.corporation_user, home=three, application=old)
    assert not Match.objects.filter(application=old).exists()

    # Each place counted as one home.
    report = distribution.realisation(cast.region, year, timezone.localdate())
    assert report.total.realised == 2
    page = client.get(reverse("homes:detail", args=[four.pk])).content.decode()
    assert first.client.candidate_number in page and first.client.last_name not in page


def test_marks_and_heavy_dossiers_exclude_with_their_reason(cast) -> None:
    set_matching_rules(cast.region, cotenancy=Cotenancy(max_heavy=1))
    cluster = make_cluster(cast.corporation_user, cast.corporation, places=3)
    one, two, _three = cluster.homes.order_by("place")
    resident = make_approved(cast)
    resident.dossier_weight = "heavy"
    resident.save(update_fields=["dossier_weight"])
    services.match_propose(actor=cast.corporation_user, home=one, application=resident)
    heavy = make_approved(cast)
    heavy.dossier_weight = "heavy"
    heavy.save(update_fields=["dossier_weight"])
    marked = make_approved(cast)
    CotenantMark.objects.create(
        region=cast.region, client=marked.client, other=resident.client, reason="Conflict"
    )
    light = make_approved(cast)
    today = timezone.localdate()
    codes = {
        a.pk: [r.code for r in ranking.why_not(two, a, today=today)] for a in (heavy, marked, light)
    }
    assert codes == {
        heavy.pk: ["cotenant_heavy"],
        marked.pk: ["cotenant_marked"],
        light.pk: [],
    }
    residents = clusters.cluster_residents(cluster.pk, today=today)
    assert [p.label for p in residents] == [resident.client.candidate_number]
    assert residents[0].heavy and residents[0].avoid == {marked.client_id}
    # A withdrawn mark no longer applies.
    CotenantMark.objects.update(withdrawn_at=timezone.now())
    assert ranking.why_not(two, marked, today=today) == []


def test_a_change_of_the_rules_applies_to_the_next_ranking(cast) -> None:
    cluster = make_cluster(cast.corporation_user, cast.corporation, places=2)
    one, two = cluster.homes.order_by("place")
    services.match_propose(
        actor=cast.corporation_user,
        home=one,
        application=make_approved(cast, date_of_birth=born(25)),
    )
    old = make_approved(cast, date_of_birth=born(60))
    assert ranking.why_not(two, old, today=timezone.localdate()) == []
    set_matching_rules(cast.region, cotenancy=Cotenancy(max_age_gap=15))
    assert [r.code for r in ranking.why_not(two, old, today=timezone.localdate())] == [
        "cotenant_age_gap"
    ]


def test_a_cluster_is_its_own_complex_for_the_cap(cast) -> None:
    """Two placements in a cluster of four (complex C1) leave the other places open, and do not
    count for the complex cap (2) of a home outside the cluster with the same code."""
    cast.region.cap_per_complex = 2
    cast.region.cap_per_neighbourhood = 10
    cast.region.save()
    cluster = make_cluster(cast.corporation_user, cast.corporation, places=4, complex_code="C1")
    outside = make_home(cast.corporation_user, cast.corporation, complex_code="C1")
    today = timezone.localdate()
    for home in cluster.homes.order_by("place")[:2]:
        match = services.match_propose(
            actor=cast.corporation_user, home=home, application=make_approved(cast)
        )
        services.match_provider_decide(actor=cast.care_worker_a, match=match, accept=True)
        services.match_client_decide(actor=cast.care_worker_a, match=match, accept=True)
        contract = support.contract_prepare(actor=cast.corporation_user, match=match)
        support.contract_sign(
            actor=cast.corporation_user,
            contract=contract,
            signed_on=today,
            key_handover_on=today,
            planned_move_in_on=today,
        )
    third = cluster.homes.order_by("place")[2]
    status = distribution.home_cap_status(home=third, today=today)
    assert status.complex_left == 2 and status.may_place
    assert distribution.home_cap_status(home=outside, today=today).complex_left == 2
    assert distribution.complex_key(third) != distribution.complex_key(outside)


def test_the_administrator_edits_the_cotenancy_rules_and_the_next_ranking_follows(
    client, cast
) -> None:
    from instroom.configuration.tests.helpers import form_data

    admin_client = client
    admin_client.force_login(cast.administrator)

    cluster = make_cluster(cast.corporation_user, cast.corporation, places=2)
    one, two = cluster.homes.order_by("place")
    services.match_propose(
        actor=cast.corporation_user,
        home=one,
        application=make_approved(cast, date_of_birth=born(25)),
    )
    old = make_approved(cast, date_of_birth=born(60))
    url = reverse("configuration:edit_matching", args=[cast.region.slug])
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Samenwonen in een woonvorm" in page
    data = form_data(cast.region.pk, "matching", **{"matching-cotenancy-max_age_gap": "20"})
    assert admin_client.post(url, data).status_code == 302
    assert [r.code for r in ranking.why_not(two, old, today=timezone.localdate())] == [
        "cotenant_age_gap"
    ]


def test_the_care_provider_marks_two_clients_and_the_corporation_never_sees_why(
    client, cast
) -> None:
    cluster = make_cluster(cast.corporation_user, cast.corporation, places=2)
    one, two = cluster.homes.order_by("place")
    resident = make_approved(cast)
    services.match_propose(actor=cast.corporation_user, home=one, application=resident)
    candidate = make_approved(cast)
    client.force_login(cast.care_worker_a)
    response = client.post(
        reverse("matching:marks"),
        {
            "client": candidate.client.case_number,
            "other": resident.client.candidate_number,
            "reason": "Eerder conflict in de opvang",
        },
    )
    assert response.status_code == 302
    mark = CotenantMark.objects.get()
    assert (mark.client, mark.other) == (candidate.client, resident.client)
    # A client of someone else, or a number nobody has: the same Dutch answer, nothing saved.
    response = client.post(
        reverse("matching:marks"),
        {"client": "Z-000", "other": resident.client.candidate_number, "reason": "x"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200 and CotenantMark.objects.count() == 1
    assert "Eerder conflict in de opvang" in client.get(reverse("matching:marks")).content.decode()

    client.force_login(cast.corporation_user)
    assert client.get(reverse("matching:marks")).status_code == 403
    page = client.get(reverse("matching:ranking", args=[two.pk]), HTTP_ACCEPT_LANGUAGE="nl")
    html = page.content.decode()
    assert "niet samen moeten wonen" in html and "Eerder conflict" not in html

    client.force_login(cast.care_worker_a)
    client.post(reverse("matching:mark_withdraw", args=[mark.pk]))
    mark.refresh_from_db()
    assert mark.withdrawn_at is not None
    assert ranking.why_not(two, candidate, today=timezone.localdate()) == []
