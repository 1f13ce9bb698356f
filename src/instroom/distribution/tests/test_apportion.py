"""The apportionment as a library: properties, an independent oracle, the reference region."""

from fractions import Fraction

import apportionment.methods as oracle
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from instroom.distribution import apportion
from instroom.distribution.apportion import (
    ConfigurationError,
    Figures,
    Year,
    largest_remainder,
    sainte_lague,
    shares,
    with_carry_over,
)

weights_strategy = st.dictionaries(
    st.text("ABCDEFGH", min_size=2, max_size=2),
    st.integers(0, 5000).map(Fraction),
    min_size=1,
    max_size=8,
).filter(lambda w: sum(w.values()) > 0)


@settings(max_examples=300, deadline=None)
@given(weights_strategy, st.integers(0, 400), st.sampled_from(apportion.METHODS))
def test_quotas_always_sum_to_the_total(weights, total, method) -> None:
    quotas = apportion.apportion(total, weights, method)
    assert sum(quotas.values()) == total
    assert set(quotas) == set(weights)
    assert all(q >= 0 for q in quotas.values())


@settings(max_examples=300, deadline=None)
@given(weights_strategy, st.integers(0, 400))
def test_largest_remainder_keeps_every_quota_within_one_of_its_exact_share(weights, total) -> None:
    exact = apportion.entitlements(total, weights)
    for key, quota in largest_remainder(total, weights).items():
        assert exact[key] - 1 < quota < exact[key] + 1


@settings(max_examples=200, deadline=None)
@given(weights_strategy, st.integers(0, 300))
def test_raising_the_total_never_lowers_a_quota_under_sainte_lague(weights, total) -> None:
    before = sainte_lague(total, weights)
    after = sainte_lague(total + 1, weights)
    assert all(after[k] >= before[k] for k in weights)


@settings(max_examples=200, deadline=None)
@given(weights_strategy, st.integers(0, 300), st.sampled_from(apportion.METHODS), st.randoms())
def test_the_order_municipalities_are_listed_in_does_not_matter(
    weights, total, method, rnd
) -> None:
    items = list(weights.items())
    rnd.shuffle(items)
    assert apportion.apportion(total, dict(items), method) == apportion.apportion(
        total, weights, method
    )


def _without_ties(weights: dict[str, Fraction], total: int, method: str) -> bool:
    """Instances where the oracle's tie handling cannot differ from ours."""
    values = list(weights.values())
    if len(set(values)) != len(values):
        return False
    if method == apportion.LARGEST_REMAINDER:
        exact = apportion.entitlements(total, weights)
        remainders = [v - int(v) for v in exact.values()]
        return len(set(remainders)) == len(remainders)
    return True


@settings(max_examples=400, deadline=None)
@given(weights_strategy, st.integers(1, 300), st.sampled_from(apportion.METHODS))
def test_the_apportionment_package_agrees(weights, total, method) -> None:
    assume(all(w > 0 for w in weights.values()))
    assume(_without_ties(weights, total, method))
    keys = sorted(weights)
    name = "largest_remainder" if method == apportion.LARGEST_REMAINDER else "saintelague"
    try:
        expected = oracle.compute(
            name, [weights[k] for k in keys], total, tiesallowed=False, verbose=False
        )
    except oracle.TiesException:
        assume(False)
    assert [apportion.apportion(total, weights, method)[k] for k in keys] == list(expected)


def test_ties_are_broken_by_the_larger_entitlement_then_the_smaller_key() -> None:
    # Two equal remainders (0.5 each); one home left: the smaller key wins.
    assert largest_remainder(1, {"GM2": Fraction(1), "GM1": Fraction(1)}) == {"GM1": 1, "GM2": 0}
    assert sainte_lague(1, {"b": Fraction(3), "a": Fraction(3)}) == {"a": 1, "b": 0}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(1, 5000), min_size=2, max_size=7),
    st.lists(st.integers(0, 250), min_size=1, max_size=10),
    st.sampled_from(apportion.METHODS),
)
# Found by hypothesis: one large municipality among six small ones, 14 homes. Sainte-Laguë gives
# it 8 against an exact 10.18 (its first homes cost it 1, 3, 5, ...: the small ones' first homes
# win), 2.18 homes off in a single year: "within two" did not hold.
@example([1, 1, 1, 1, 1, 1, 16], [14], apportion.SAINTE_LAGUE)
def test_with_carry_over_nobody_drifts_more_than_one_home_from_the_fair_share(
    stock, totals, method
) -> None:
    """Each year the quotas are delivered exactly: the cumulative quotas stay within one home of
    the cumulative exact entitlement under largest remainder; Sainte-Laguë, which does not keep
    the quota rule even for one year, stays within half the number of municipalities (at least
    two): a divisor method's known bound, not a single home."""
    keys = [f"GM{i:04d}" for i in range(len(stock))]
    share = {k: Fraction(s, sum(stock)) for k, s in zip(keys, stock, strict=True)}
    years = [Year(2022 + i, t, share, method) for i, t in enumerate(totals)]
    delivered: dict[int, dict[str, int]] = {}
    cumulative = dict.fromkeys(keys, 0)
    for i, year in enumerate(years):
        result = with_carry_over(years[: i + 1], delivered)[-1]
        delivered[year.year] = result.quota
        for k in keys:
            cumulative[k] += result.quota[k]
            bound = 1 if method == apportion.LARGEST_REMAINDER else max(2, Fraction(len(keys), 2))
            assert abs(cumulative[k] - result.entitlement[k]) <= bound


def test_a_municipality_that_fell_behind_catches_up() -> None:
    share = {"A": Fraction(1, 2), "B": Fraction(1, 2)}
    years = [Year(2024, 10, share, "largest_remainder"), Year(2025, 10, share, "largest_remainder")]
    # 2024: A delivered 1 of its 5, B 9: A is 4 behind, B 4 ahead; B gives way to A.
    results = with_carry_over(years, {2024: {"A": 1, "B": 9}})
    assert results[0].quota == {"A": 5, "B": 5}
    assert results[1].quota == {"A": 9, "B": 1}
    assert results[1].backlog("A") == 4 and results[1].backlog("B") == -4
    assert results[1].carry_over("A") == 4 and results[1].carry_over("B") == -4
    # Ahead is not punished below zero: a municipality owed nothing gets nothing more.
    results = with_carry_over(years, {2024: {"A": 0, "B": 20}})
    assert results[1].quota == {"A": 10, "B": 0}


def test_when_everyone_delivered_ahead_the_year_follows_the_plain_key() -> None:
    share = {"A": Fraction(3, 4), "B": Fraction(1, 4)}
    years = [Year(2024, 4, share, "largest_remainder"), Year(2025, 8, share, "sainte_lague")]
    # 2024: 4 homes due in total, 20 delivered; in 2025 nobody is behind any more.
    results = with_carry_over(years, {2024: {"A": 15, "B": 5}})
    assert all(results[1].backlog(k) < 0 for k in share)
    assert results[1].quota == {"A": 6, "B": 2}


def _two(key: str, households: int | None, social: int | None) -> Figures:
    return Figures(key, {"households": households, "social_stock": social})


def _hs(w_h: str, w_s: str) -> dict[str, str]:
    return {"households": w_h, "social_stock": w_s}


def test_shares_follow_the_weighted_key_exactly() -> None:
    figures = [_two("GM1", 300, 100), _two("GM2", 100, 300)]
    assert shares(figures, _hs("0.75", "0.25")) == {
        "GM1": Fraction(3, 4) * Fraction(3, 4) + Fraction(1, 4) * Fraction(1, 4),
        "GM2": Fraction(3, 4) * Fraction(1, 4) + Fraction(1, 4) * Fraction(3, 4),
    }
    assert sum(shares(figures, _hs("0.5", "0.5")).values()) == 1


def test_a_key_of_three_figures_weighs_each_by_its_own_total() -> None:
    """Zwolle-style: households, social stock and places in BW/MO, any weights that sum to 1."""
    figures = [
        Figures("GM1", {"households": 300, "social_stock": 100, "places_bw": 10}),
        Figures("GM2", {"households": 100, "social_stock": 300, "places_bw": 30}),
    ]
    result = shares(figures, {"households": "0.4", "social_stock": "0.4", "places_bw": "0.2"})
    assert result["GM1"] == Fraction(2, 5) * Fraction(3, 4) + Fraction(2, 5) * Fraction(
        1, 4
    ) + Fraction(1, 5) * Fraction(1, 4)
    assert sum(result.values()) == 1


def test_a_figure_that_weighs_nothing_need_not_be_known() -> None:
    figures = [
        Figures("GM1", {"households": 3, "population": None}),
        Figures("GM2", {"households": 1}),
    ]
    assert shares(figures, {"households": "1", "population": "0"}) == {
        "GM1": Fraction(3, 4),
        "GM2": Fraction(1, 4),
    }


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 50_000), min_size=4, max_size=4), min_size=1, max_size=8
    ).filter(lambda rows: all(sum(r[k] for r in rows) for k in range(4))),
    st.lists(st.integers(0, 1000), min_size=4, max_size=4).filter(any),
)
def test_shares_of_any_key_sum_to_one_and_match_an_independent_oracle(rows, raw) -> None:
    """Oracle: the key as one weighted sum of fractions, written out per municipality."""
    kinds = ["a", "b", "c", "d"]
    whole = sum(raw)
    weights = {k: Fraction(r, whole) for k, r in zip(kinds, raw, strict=True)}
    figures = [Figures(f"GM{i}", dict(zip(kinds, r, strict=True))) for i, r in enumerate(rows)]
    result = shares(figures, weights)
    assert sum(result.values()) == 1
    for i, r in enumerate(rows):
        expected = Fraction(0)
        for j, k in enumerate(kinds):
            expected += weights[k] * r[j] / sum(row[j] for row in rows)
        assert result[f"GM{i}"] == expected


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: shares([_two("GM1", 1, 1)], _hs("0.6", "0.6")), "weights"),
        (lambda: shares([_two("GM1", 1, 1)], _hs("-0.5", "1.5")), "households"),
        (lambda: shares([_two("GM1", 1, 1)], {}), "weights"),
        (lambda: shares([_two("GM1", None, 1)], _hs("0.5", "0.5")), "households"),
        (lambda: shares([_two("GM1", 1, -3)], _hs("0.5", "0.5")), "social_stock"),
        (lambda: shares([], _hs("0.5", "0.5")), "municipalities"),
        (lambda: largest_remainder(-1, {"a": Fraction(1)}), "total_homes"),
        (lambda: apportion.apportion(3, {"a": Fraction(1)}, "dhondt"), "method"),
    ],
)
def test_bad_configuration_is_refused_naming_the_field(call, field) -> None:
    with pytest.raises(ConfigurationError) as error:
        call()
    assert error.value.field == field
    assert field in str(error.value)


@pytest.mark.django_db
def test_the_reference_region_2026_quotas_from_the_shipped_figures() -> None:
    """Zuid-Kennemerland/IJmond, 178 homes, weights 0.5/0.5, largest remainder, on the shipped
    households and social stock (estimates, 1-1-2024). Nothing delivered yet, so the carry-over
    keeps every share and the quotas are the plain apportionment."""
    from django.core.management import call_command

    from instroom.distribution import selectors
    from instroom.regions.models import QuotaYear, Region

    call_command("loaddata", "zk-ijmond", verbosity=0)
    result = selectors.region_quota(Region.objects.get(slug="zk-ijmond"), 2026)
    assert result.quota == {
        "GM0375": 21,  # Beverwijk
        "GM0377": 10,  # Bloemendaal
        "GM0392": 73,  # Haarlem
        "GM0396": 20,  # Heemskerk
        "GM0397": 11,  # Heemstede
        "GM0453": 35,  # Velsen
        "GM0473": 8,  # Zandvoort
    }
    assert sum(result.quota.values()) == 178
    # By hand: the exact entitlements are 21.493, 9.989, 73.158, 19.528, 11.024, 34.505 and
    # 8.302; the whole parts give 175, and the 3 left go to the largest remainders (Bloemendaal
    # .989, Heemskerk .528, Velsen .505; Beverwijk's .493 just misses). Without carry-over,
    # Sainte-Laguë (divisor ≈ 0.99988, rounding half up) gives the same numbers.
    QuotaYear.objects.filter(region__slug="zk-ijmond", year=2026).update(
        method="sainte_lague", carry_over="none"
    )
    again = selectors.region_quota(Region.objects.get(slug="zk-ijmond"), 2026)
    assert again.quota == result.quota
    assert round(float(result.share["GM0392"] * 178), 3) == 73.158
    # With the catch-up rule the history counts even with nothing delivered: after 2022–2025
    # (largest remainder) the fair position of Zandvoort is 33 homes against an exact 33.21 and
    # Velsen's 138 against 138.02, so 2026 apportions 8.508 and 34.524 homes over them:
    # Sainte-Laguë rounds those to 9 and 34 where largest remainder, on the same figures, gives
    # 8 and 35.
    QuotaYear.objects.filter(region__slug="zk-ijmond", year=2026).update(carry_over="catch_up")
    history = selectors.region_quota(Region.objects.get(slug="zk-ijmond"), 2026)
    assert history.quota == result.quota | {"GM0453": 34, "GM0473": 9}
    assert history.fair_before["GM0473"] == 33 and history.fair_before["GM0453"] == 138
