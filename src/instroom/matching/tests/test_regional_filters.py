"""The hard filters a regeling switches on or off (pets, accessibility, age band, local tie,
overhousing), each checked against the per-candidate oracle of `test_core`."""

from datetime import date

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from instroom.matching.constants import reason_text
from instroom.matching.core import FilterConfig, Pool, ScoreConfig, evaluate

from .test_core import (
    HAARLEM,
    TODAY,
    ZANDVOORT,
    age_on,
    candidate,
    days,
    filter_configs,
    home,
    homes,
    oracle_reasons,
    pools,
)

REGIONAL = {
    "pets": ("pets",),
    "accessibility": ("not_accessible", "no_ground_floor_or_lift"),
    "age_band": ("age_outside_band",),
    "local_tie": ("not_local",),
    "overhousing": ("overhoused",),
}
ALL_OFF = FilterConfig(pets=False, accessibility=False)


@settings(max_examples=150, deadline=None)
@given(pools(), homes, days, filter_configs, st.sampled_from(sorted(REGIONAL)))
def test_each_filter_alone_agrees_with_the_oracle(candidates, home_, today, params, name) -> None:
    # Only `name` switched on (with the drawn parameters): its reasons are exactly the oracle's.
    alone = FilterConfig(
        **{
            **ALL_OFF.__dict__,
            name: True,
            "age_min": params.age_min,
            "age_max": params.age_max,
            "overhousing_margin": params.overhousing_margin,
        }
    )
    evaluation = evaluate(home_, Pool.from_candidates(candidates), ScoreConfig(), today, alone)
    for i, c in enumerate(candidates):
        got = [r.code for r in evaluation.reasons(i) if r.code in REGIONAL[name]]
        expected = [
            code for code in oracle_reasons(home_, c, today, alone) if code in REGIONAL[name]
        ]
        assert got == expected


@settings(max_examples=100, deadline=None)
@given(pools(), homes, days, filter_configs)
def test_a_filter_switched_off_never_excludes(candidates, home_, today, filters) -> None:
    evaluation = evaluate(home_, Pool.from_candidates(candidates), ScoreConfig(), today, filters)
    for name, codes in REGIONAL.items():
        if not getattr(filters, name):
            for code in codes:
                assert not evaluation.masks[code].any(), code


@settings(max_examples=100, deadline=None)
@given(pools(), homes, days, filter_configs)
def test_switching_a_filter_on_only_removes_candidates(candidates, home_, today, filters) -> None:
    pool = Pool.from_candidates(candidates)
    fewer = set(evaluate(home_, pool, ScoreConfig(), today, filters).eligible_order().tolist())
    more = set(evaluate(home_, pool, ScoreConfig(), today, ALL_OFF).eligible_order().tolist())
    assert fewer <= more


@settings(max_examples=60, deadline=None)
@given(pools(max_size=15), homes, days, filter_configs)
def test_the_new_reasons_name_their_figures(candidates, home_, today, filters) -> None:
    evaluation = evaluate(home_, Pool.from_candidates(candidates), ScoreConfig(), today, filters)
    for i, c in enumerate(candidates):
        for reason in evaluation.reasons(i):
            with translation.override("en"):
                english = reason_text(reason)
            with translation.override("nl"):
                dutch = reason_text(reason)
            assert english and dutch and english != dutch, reason.code
            if reason.code == "age_outside_band":
                assert c.date_of_birth is not None
                age = age_on(c.date_of_birth, today)
                for text in (english, dutch):
                    assert f"{age} " in text
                    assert f"{filters.age_min}–{filters.age_max}" in text


def test_a_thirty_year_old_is_outside_a_band_of_18_to_27() -> None:
    band = FilterConfig(age_band=True, age_min=18, age_max=27)
    thirty = candidate(date_of_birth=date(1996, 11, 23))  # 30 on TODAY (2026-11-23)
    evaluation = evaluate(home(), Pool.from_candidates([thirty]), ScoreConfig(), TODAY, band)
    assert [r.code for r in evaluation.reasons(0)] == ["age_outside_band"]
    with translation.override("en"):
        assert reason_text(evaluation.reasons(0)[0]) == (
            "Age 30 is outside this regeling's band of 18–27."
        )
    # A day before the 28th birthday the client is 27: inside.
    young = candidate(date_of_birth=date(1998, 11, 24))
    assert evaluate(home(), Pool.from_candidates([young]), ScoreConfig(), TODAY, band).rows()
    # Without the band the age decides nothing.
    assert evaluate(home(), Pool.from_candidates([thirty]), ScoreConfig(), TODAY).rows()


def test_local_tie_and_overhousing() -> None:
    local = FilterConfig(local_tie=True)
    from_haarlem = candidate(municipality_of_origin_id=HAARLEM)
    pool = Pool.from_candidates([from_haarlem])
    assert evaluate(home(municipality_id=HAARLEM), pool, ScoreConfig(), TODAY, local).rows()
    elsewhere = evaluate(home(municipality_id=ZANDVOORT), pool, ScoreConfig(), TODAY, local)
    assert [r.code for r in elsewhere.reasons(0)] == ["not_local"]
    tight = FilterConfig(overhousing=True, overhousing_margin=1)
    single = Pool.from_candidates([candidate(household_size=1, rooms_min=1)])
    assert evaluate(home(rooms=2), single, ScoreConfig(), TODAY, tight).rows()
    three = evaluate(home(rooms=3), single, ScoreConfig(), TODAY, tight)
    [reason] = three.reasons(0)
    assert reason.code == "overhoused" and reason.figures == {"rooms": 3, "need": 1, "margin": 1}


def test_pets_and_accessibility_can_be_switched_off() -> None:
    needs = candidate(has_pets=True, needs_wheelchair_access=True, needs_ground_floor_or_lift=True)
    upstairs = home(pets_allowed=False, floor=3, has_lift=False, wheelchair_accessible=False)
    pool = Pool.from_candidates([needs])
    on = evaluate(upstairs, pool, ScoreConfig(), TODAY)
    assert [r.code for r in on.reasons(0)] == ["not_accessible", "no_ground_floor_or_lift", "pets"]
    assert evaluate(upstairs, pool, ScoreConfig(), TODAY, ALL_OFF).rows()
