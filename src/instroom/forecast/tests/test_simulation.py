"""The forecast simulation as a library: a hand-computed deterministic fixture, repeatability,
conservation of people, Little's law in a steady state, and the quota as a ceiling."""

import numpy as np
import pytest

from instroom.forecast.simulation import Inputs, simulate


def test_deterministic_run_matches_the_hand_computed_fixture() -> None:
    """10 applications a month, half approved, decided within the month; one home a month,
    never refused. Each month 5 join the pool and 1 leaves it (the longest waiting)."""
    inputs = Inputs(
        inflow_per_month={"bw": 10},
        approval_rate=0.5,
        assessment_months=1,
        homes_per_year=12,
        quota_per_year=12,
        refusal_rate=0.0,
        support_months=24,
    )
    r = simulate(inputs, years=3, deterministic=True)
    t = np.arange(36)
    assert np.allclose(r.pool[0], 4 * (t + 1))
    assert np.allclose(r.placements[0], 1)
    assert np.allclose(r.rejected[0], 5 * (t + 1))
    assert np.allclose(r.housed[0], np.minimum(t + 1, 24))
    assert np.allclose(r.done[0], np.maximum(t + 1 - 24, 0))
    # FIFO: the five approved in month a are placed in months 5(a-1) … 5a-1, having waited
    # t - (a - 1) months: t - floor(t / 5).
    assert np.allclose(r.wait_median[0], t - t // 5)


def test_a_fixed_seed_gives_identical_results_and_another_seed_does_not() -> None:
    inputs = Inputs(inflow_per_month={"bw": 12, "mo": 5}, homes_per_year=150)
    a, b = simulate(inputs, runs=50, seed=7), simulate(inputs, runs=50, seed=7)
    assert np.array_equal(a.pool, b.pool) and np.array_equal(a.placements, b.placements)
    assert not np.array_equal(a.pool, simulate(inputs, runs=50, seed=8).pool)


def test_everybody_who_entered_is_in_exactly_one_state_every_month() -> None:
    inputs = Inputs(inflow_per_month={"bw": 12, "mo": 6}, homes_per_year=120, start_pool=30)
    r = simulate(inputs, runs=100)
    total = r.in_assessment + r.pool + r.housed + r.done + r.rejected
    assert np.array_equal(total, r.entered)
    assert (r.pool >= 0).all() and (r.housed >= 0).all()


def test_littles_law_holds_in_a_steady_state() -> None:
    """Time-average pool = approvals per month × mean months waited, once settled."""
    inputs = Inputs(
        inflow_per_month={"bw": 10},
        approval_rate=0.8,
        homes_per_year=120,
        refusal_rate=0.1,
        assessment_months=2,
    )
    r = simulate(inputs, years=20, runs=200, seed=3)
    window = slice(36, None)
    placed = r.placements[:, window]
    mean_pool = r.pool[:, window].mean()
    rate = placed.sum() / placed.size  # in = out in a steady state
    waits = np.nan_to_num(r.wait_mean[:, window])
    assert mean_pool > 1  # a real queue, not an empty one
    mean_wait = (placed * waits).sum() / placed.sum()
    assert mean_pool == pytest.approx(rate * mean_wait, rel=0.05)


def test_the_quota_caps_the_homes_a_year() -> None:
    inputs = Inputs(
        inflow_per_month={"bw": 40}, homes_per_year=500, quota_per_year=100, refusal_rate=0.0
    )
    r = simulate(inputs, years=5, runs=200)
    per_year = r.placements.reshape(200, 5, 12).sum(axis=2)
    assert per_year.mean() == pytest.approx(100, rel=0.05)
    assert (r.pool[:, -1] > r.pool[:, 12]).mean() > 0.95  # demand outruns the contingent


def test_placements_follow_the_key_and_the_regular_queue_pays_for_them() -> None:
    key = {"GM1": 0.5, "GM2": 0.3, "GM3": 0.2}
    inputs = Inputs(
        inflow_per_month={"bw": 30},
        homes_per_year=178,
        key=key,
        regular_allocations_per_year=1780,
        regular_queue=10000,
    )
    r = simulate(inputs, runs=100)
    summed = sum(r.placements_by_municipality.values())
    assert np.array_equal(summed, r.placements)
    shares = {k: v.sum() / r.placements.sum() for k, v in r.placements_by_municipality.items()}
    for k, share in key.items():
        assert shares[k] == pytest.approx(share, abs=0.02)
    assert np.nanmean(r.scheme_share) == pytest.approx(0.1, rel=0.1)
    assert (r.regular_extra_wait >= 0).all()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"approval_rate": 1.5}, "approval_rate"),
        ({"homes_per_year": -1}, "homes_per_year"),
        ({"key": {"a": 0.7}}, "key"),
        ({"assessment_months": 0}, "assessment_months"),
    ],
)
def test_bad_inputs_are_refused_naming_the_field(change, field) -> None:
    inputs = Inputs(**{"inflow_per_month": {"bw": 1}, **change})
    with pytest.raises(ValueError, match=field):
        simulate(inputs, runs=2)


def test_supply_per_corporation_and_the_caps_ceiling_limit_the_homes() -> None:
    base = dict(inflow_per_month={"bw": 40}, quota_per_year=1000, refusal_rate=0.0)
    by_corporation = simulate(
        Inputs(**base, supply_per_corporation={"A": 60, "B": 36}), years=4, runs=200
    )
    assert by_corporation.placements.sum(axis=1).mean() / 4 == pytest.approx(96, rel=0.05)
    capped = simulate(Inputs(**base, homes_per_year=500, caps_per_year=48), years=4, runs=200)
    assert capped.placements.sum(axis=1).mean() / 4 == pytest.approx(48, rel=0.05)
