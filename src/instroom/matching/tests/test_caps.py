"""Caps with one meaning (a complex is one corporation's code in one neighbourhood or
municipality, for filters, ranking, why-not and the batch alike), a batch report that adds up
(points + behind-quota bonus = score, summing to the total), caps per municipality and per
corporation for one run (page and command, solved as a MIP), and ranking dates in
Europe/Amsterdam on SQLite too."""

import json
from datetime import UTC, date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from instroom.applications.models import Application
from instroom.distribution import selectors as distribution
from instroom.distribution import services as placements
from instroom.distribution.models import Placement
from instroom.homes.tests.factories import make_home
from instroom.matching import batch, ranking, solver
from instroom.matching.models import BatchRun
from instroom.matching.tests.factories import make_approved
from instroom.regions.constants import OrganisationType
from instroom.regions.models import Neighbourhood, Organisation, QuotaYear

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def this_year(cast):
    year = timezone.localdate().year
    cast.region.start_year = year
    cast.region.save()
    QuotaYear.objects.update_or_create(region=cast.region, year=year, defaults={"total_homes": 20})
    return year


def place(cast, municipality, corporation=None, **extra) -> Placement:
    return placements.placement_record(
        actor=cast.coordinator,
        region=cast.region,
        municipality=municipality,
        corporation=corporation or cast.corporation,
        placed_on=timezone.localdate(),
        **extra,
    )


def other_corporation(cast) -> Organisation:
    return Organisation.objects.create(
        region=cast.region,
        slug="corporatie-2",
        name="Tweede Corporatie",
        type=OrganisationType.CORPORATION,
    )


def blocked(home, application) -> dict[str, bool]:
    """Is the home capped, for each place that counts placements per complex?"""
    today = timezone.localdate()
    ranked = ranking.rank_home(home, today=today)
    index = list(ranked.application_ids).index(application.pk)
    report = batch.run(home.region, today=today)
    why_not = ranking.why_not(home, application, today=today)
    return {
        "filter": not distribution.may_place(home=home, today=today),
        "ranking": "cap_reached" in [r.code for r in ranked.evaluation.reasons(index)],
        "why_not": "cap_reached" in [r.code for r in why_not],
        "batch": not any(p.home.pk == home.pk for p in report.pairs),
        "page": distribution.home_cap_status(home=home, today=today).complex_left == 0,
    }


def test_the_same_complex_code_elsewhere_or_at_another_corporation_blocks_nothing(cast) -> None:
    a, b = cast.region.municipalities.order_by("cbs_code")[:2]
    cast.region.cap_per_complex = 1
    cast.region.save()
    application = make_approved(cast)
    home = make_home(cast.corporation_user, cast.corporation, municipality=a, complex_code="C-9")
    # The same code: in another municipality (same corporation), and in the same municipality
    # at another corporation, and in a neighbourhood of the same municipality.
    buurt = Neighbourhood.objects.create(municipality=a, cbs_code="BU99990031", level="buurt")
    place(cast, b, complex_code="C-9")
    place(cast, a, other_corporation(cast), complex_code="C-9")
    place(cast, a, complex_code="C-9", neighbourhood=buurt)
    nothing = dict.fromkeys(("filter", "ranking", "why_not", "batch", "page"), False)
    assert blocked(home, application) == nothing
    # The same complex (corporation, municipality without neighbourhood, code) blocks everywhere.
    place(cast, a, complex_code="C-9")
    assert blocked(home, application) == dict.fromkeys(nothing, True)


def test_one_key_for_homes_and_placements(cast) -> None:
    a, b = cast.region.municipalities.order_by("cbs_code")[:2]
    home = make_home(cast.corporation_user, cast.corporation, municipality=a, complex_code=" C-9")
    here = place(cast, a, complex_code="C-9")
    there = place(cast, b, complex_code="C-9")
    key = distribution.complex_key(home)
    assert key == distribution.complex_key(here) != distribution.complex_key(there)
    assert distribution.complex_key(make_home(cast.corporation_user, cast.corporation)) is None
    assert list(Placement.objects.filter(key.placements())) == [here]


def test_each_pair_shows_points_and_bonus_and_they_add_up_to_the_total(
    client, cast, this_year
) -> None:
    make_approved(cast)
    make_approved(cast)
    make_home(cast.corporation_user, cast.corporation, rooms=1)
    make_home(cast.corporation_user, cast.corporation, rooms=2)
    report = batch.run(cast.region)
    assert len(report.pairs) == 2
    # Nothing placed yet this year: every municipality is behind, every pair has the bonus.
    assert all(p.bonus == batch.BEHIND_BONUS for p in report.pairs)
    assert all(p.points == sum(p.points_by_criterion.values()) for p in report.pairs)
    assert sum(p.points + p.bonus for p in report.pairs) == report.solution.total

    out = StringIO()
    call_command("match-batch", region=cast.region.slug, dry_run=True, format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert sum(p["points"] + p["bonus"] for p in data["pairs"]) == data["total_score"]
    assert all(p["bonus"] == batch.BEHIND_BONUS for p in data["pairs"])
    table = StringIO()
    call_command("match-batch", region=cast.region.slug, dry_run=True, stdout=table)
    assert "points bonus score" in table.getvalue()

    client.force_login(cast.coordinator)
    client.post(reverse("matching:batch"), {"region": cast.region.slug})
    run = BatchRun.objects.get()
    assert sum(p["points"] + p["bonus"] for p in run.pairs) == run.report["total"]
    page = client.get(reverse("matching:batch_run", args=[run.pk])).content.decode()
    assert "Achterstandsbonus" in page
    first = run.pairs[0]
    assert f">{first['points']}</td>" in page and f">{first['score']}</td>" in page


def test_a_run_stored_before_the_bonus_was_shown_still_opens(client, cast) -> None:
    run = BatchRun.objects.create(
        region=cast.region,
        status=BatchRun.Status.DONE,
        report={"total": 47, "method": solver.FLOW, "optimal": True},
        pairs=[
            {
                "home_id": 1,
                "address": "Proefstraat 1",
                "municipality": "A",
                "candidate_number": "K-1",
                "score": 47,
                "points": {"preference": 30, "waiting": 17},
            }
        ],
    )
    client.force_login(cast.coordinator)
    response = client.get(reverse("matching:batch_run", args=[run.pk]))
    assert response.status_code == 200 and ">47</td>" in response.content.decode()


def test_caps_per_corporation_and_municipality_for_a_run_use_the_mip(cast) -> None:
    a, b = cast.region.municipalities.order_by("cbs_code")[:2]
    for _i in range(3):
        make_approved(cast)
    make_home(cast.corporation_user, cast.corporation, municipality=a)
    make_home(cast.corporation_user, cast.corporation, municipality=a)
    make_home(cast.corporation_user, cast.corporation, municipality=b)

    def run(*options: str) -> dict:
        out = StringIO()
        call_command(
            "match-batch", "--region", cast.region.slug, "--dry-run", "--format", "json",
            *options, stdout=out,
        )  # fmt: skip
        return json.loads(out.getvalue())

    free = run()
    assert len(free["pairs"]) == 3 and free["method"] == solver.FLOW
    capped = run("--cap-corporation", "corporatie=2")
    assert len(capped["pairs"]) == 2
    assert capped["method"] == solver.MIP and capped["gap"] == 0.0 and capped["optimal"]
    assert capped["time_limit"] == batch.MIP_TIME_LIMIT and "seconds" in capped
    assert capped["caps"] == {"municipality": {}, "corporation": {"corporatie": 2}}
    by_town = run("--cap-municipality", f"{a.cbs_code}=1", "--time-limit", "5")
    assert len(by_town["pairs"]) == 2  # one in a, one in b
    both = run("--cap-municipality", f"{a.cbs_code}=1", "--cap-corporation", "corporatie=1")
    assert len(both["pairs"]) == 1 and both["method"] == solver.MIP
    table = StringIO()
    call_command(
        "match-batch", region=cast.region.slug, dry_run=True, cap_corporation=["corporatie=0"],
        stdout=table,
    )  # fmt: skip
    assert "mixed-integer programme" in table.getvalue() and "gap 0.0" in table.getvalue()
    assert "time limit 60 s" in table.getvalue()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--cap-corporation", "nergens=1", "not one of the region's: corporatie"),
        ("--cap-corporation", "corporatie=-1", "whole number of 0 or more"),
        ("--cap-corporation", "corporatie=1.5", "whole number of 0 or more"),
        ("--cap-corporation", "corporatie=", "whole number of 0 or more"),
        ("--cap-corporation", "corporatie", "write it as KEY=N"),
        ("--cap-municipality", "GM9999=1", "not one of the region's"),
    ],
)
def test_bad_caps_on_the_command_line_are_refused_clearly(cast, option, value, message) -> None:
    with pytest.raises(CommandError, match=message):
        call_command(
            "match-batch", "--region", cast.region.slug, "--dry-run", option, value,
            stdout=StringIO(),
        )  # fmt: skip


def test_the_batch_page_sets_caps_for_a_run_and_validates_them(client, cast) -> None:
    make_approved(cast)
    make_approved(cast)
    make_home(cast.corporation_user, cast.corporation)
    make_home(cast.corporation_user, cast.corporation)
    client.force_login(cast.coordinator)
    page = client.get(reverse("matching:batch")).content.decode()
    assert 'name="corporation_corporatie"' in page
    bad = client.post(
        reverse("matching:batch"), {"region": cast.region.slug, "corporation_corporatie": "-1"}
    )
    assert bad.status_code == 400 and not BatchRun.objects.exists()
    assert "Vul een heel aantal woningen in (0 of meer)" in bad.content.decode()
    words = client.post(
        reverse("matching:batch"), {"region": cast.region.slug, "corporation_corporatie": "twee"}
    )
    assert words.status_code == 400 and not BatchRun.objects.exists()
    client.post(
        reverse("matching:batch"), {"region": cast.region.slug, "corporation_corporatie": "1"}
    )
    run = BatchRun.objects.get()
    assert run.caps == {"corporation": {"corporatie": 1}}
    assert run.report["method"] == solver.MIP and run.report["gap"] == 0.0
    assert len(run.pairs) == 1
    shown = client.get(reverse("matching:batch_run", args=[run.pk])).content.decode()
    assert "corporatie: 1" in shown and "tijdslimiet 60" in shown.lower()


@pytest.mark.parametrize(
    ("decided", "today", "waiting_months"),
    [
        # 1 March 00:30 CET is 28 February 23:30 UTC; on 28 March not a whole month has passed.
        (datetime(2026, 3, 1, 0, 30, tzinfo=AMSTERDAM), date(2026, 3, 28), 0),
        # 1 July 00:30 CEST is 30 June 22:30 UTC.
        (datetime(2026, 7, 1, 0, 30, tzinfo=AMSTERDAM), date(2026, 7, 30), 0),
        (datetime(2026, 7, 1, 0, 30, tzinfo=AMSTERDAM), date(2026, 8, 1), 1),
    ],
)
def test_ranking_counts_the_decision_day_in_amsterdam(cast, decided, today, waiting_months):
    application = make_approved(cast)
    Application.objects.filter(pk=application.pk).update(decided_at=decided.astimezone(UTC))
    pool, ids = ranking.load_pool(cast.region.pk, today=today)
    index = list(ids).index(application.pk)
    assert date.fromordinal(int(pool.approved_on[index])) == decided.date()
    # Decided at 00:30 on "today": 0 days of waiting, not 1 (the UTC day before).
    same_day, _ids = ranking.load_pool(cast.region.pk, today=decided.date())
    assert int(same_day.approved_on[index]) == decided.date().toordinal()
    home = make_home(cast.corporation_user, cast.corporation)
    ranked = ranking.rank_home(home, today=today)
    assert ranked.evaluation.points(index)["waiting"] == waiting_months
