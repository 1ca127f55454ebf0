"""Decoy absorption: the documented formula, checked in closed form and by sampling."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.model.decoys import absorbed_share, strike_day


def test_share_closed_form_values():
    assert absorbed_share(0, 100, 1.0) == 0.0
    assert absorbed_share(100, 100, 1.0) == pytest.approx(0.5)
    assert absorbed_share(300, 100, 0.5) == pytest.approx(150 / 250)
    assert absorbed_share(10, 0, 0.2) == 1.0  # nothing real to hit: every strike is drawn off


@given(st.floats(0, 1e6), st.floats(0, 1e6), st.floats(0, 1e6), st.floats(1e-3, 1.0))
def test_more_decoys_never_absorb_less(d1, d2, real, fidelity):
    lo, hi = sorted((d1, d2))
    assert absorbed_share(lo, real, fidelity) <= absorbed_share(hi, real, fidelity) + 1e-12
    assert 0.0 <= absorbed_share(hi, real, fidelity) <= 1.0


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.5, float("nan")])
def test_fidelity_out_of_range_is_refused(bad):
    with pytest.raises(ValueError, match="fidelity"):
        absorbed_share(10, 10, bad)


def test_absorbed_strikes_match_the_formula_within_an_interval():
    """Absorbed strikes are a Poisson thinning: mean and variance both ``lambda * p``.

    Also rejects the formula without fidelity (D / (D + R) = 0.75 would give 75 a day).
    """
    rng = np.random.default_rng(20261126)
    lam, decoys, real, fidelity, kill = 100.0, 300.0, 100.0, 0.5, 0.4
    days = [strike_day(rng, lam, decoys, real, fidelity, kill) for _ in range(4000)]
    absorbed = np.array([d.absorbed for d in days])
    killed = np.array([d.killed for d in days])
    p = 150.0 / 250.0
    half = 4.0 * np.sqrt(lam * p / len(days))  # 4 sigma: fails by chance 1 time in 16,000
    assert abs(absorbed.mean() - lam * p) < half
    assert abs(absorbed.var() / (lam * p) - 1.0) < 0.1
    assert abs(killed.mean() - lam * (1 - p) * kill) < 4.0 * np.sqrt(lam * (1 - p) * kill / 4000)
    assert all(d.strikes == d.absorbed + d.hits for d in days)


def test_absorbed_never_exceeds_decoys_deployed():
    rng = np.random.default_rng(1)
    for _ in range(200):
        day = strike_day(rng, 500.0, 7.0, 1.0, 1.0, 1.0)
        assert day.absorbed <= 7 and day.killed <= 1


def test_halving_decoys_raises_kills():
    """A decoy shortfall shows as more real targets destroyed (same stream, paired)."""
    full = [strike_day(np.random.default_rng(s), 80.0, 400.0, 200.0, 0.8, 0.5).killed
            for s in range(300)]
    half = [strike_day(np.random.default_rng(s), 80.0, 200.0, 200.0, 0.8, 0.5).killed
            for s in range(300)]
    # closed form: kills ~ 80 * (1 - p) * 0.5 with p = 0.8 D / (0.8 D + 200)
    assert np.mean(full) == pytest.approx(80 * (200 / 520) * 0.5, rel=0.1)
    assert np.mean(half) == pytest.approx(80 * (200 / 360) * 0.5, rel=0.1)
    assert np.mean(half) > np.mean(full)
