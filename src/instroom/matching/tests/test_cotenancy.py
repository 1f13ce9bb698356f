"""Who may live together in one cluster: the pure rules."""

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from instroom.matching import cotenancy as c


def person(i: int, age: int | None = 30, heavy: bool = False, avoid=()) -> c.Person:
    return c.Person(i, f"K-{i}", age, heavy, frozenset(avoid))


def test_an_age_gap_above_the_maximum_excludes_with_the_gap() -> None:
    config = c.Config(max_age_gap=10)
    result = c.fit(person(1, 22), [person(2, 35), person(3, 28)], config)
    assert not result.fits
    assert [(r.code, r.figures["gap"], r.figures["with"]) for r in result.reasons] == [
        (c.AGE_GAP, 13, "K-2")
    ]


def test_a_mark_either_way_keeps_two_apart_and_unknown_ages_never_exclude() -> None:
    config = c.Config(max_age_gap=5)
    assert not c.fit(person(1, None), [person(2, 60, avoid={1})], config).fits
    assert not c.fit(person(1, None, avoid={2}), [person(2, 60)], config).fits
    assert c.fit(person(1, None), [person(2, 60)], config).fits
    assert c.fit(person(1, 20, avoid={2}), [person(2, 21)], c.Config(respect_marks=False)).fits


def test_heavy_dossiers_count_for_the_whole_cluster() -> None:
    config = c.Config(max_heavy=1)
    assert not c.fit(person(1, heavy=True), [person(2, heavy=True)], config).fits
    assert c.fit(person(1), [person(2, heavy=True)], config).fits
    notes = c.fit(person(1), [person(2, heavy=True)], config).notes
    assert [(n.code, n.figures["count"]) for n in notes] == [(c.HEAVY, 1)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(18, 70), st.booleans(), st.sets(st.integers(0, 5), max_size=2)),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 20),
    st.integers(0, 3),
)
def test_a_group_fits_exactly_when_each_member_fits_the_ones_before(people, gap, heavy) -> None:
    """Filling a cluster one by one (the ranking) and judging it whole (the oracle) agree."""
    config = c.Config(max_age_gap=gap, max_heavy=heavy)
    group = [person(i, age, h, avoid) for i, (age, h, avoid) in enumerate(people)]
    one_by_one = all(c.fit(p, group[:i], config).fits for i, p in enumerate(group))
    assert one_by_one == (not c.group_reasons(group, config))
    assert all(
        not c.pair_reasons(a, b, config) or not c.fit(b, [a], config).fits
        for a, b in combinations(group, 2)
    )
