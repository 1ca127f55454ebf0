"""Interdiction's counts from uniforms: the inverse-CDF loops give exactly the Poisson and
binomial laws (checked on an even grid of uniforms against scipy's pmf), the fallbacks for
parameters no short loop can handle keep the law, and each decision reads its own uniform."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from simulator.model.sealift.interdiction import binomial_inverse, interdict, poisson_at_most
from simulator.model.streams import Streams
from simulator.scenario.schema import ThreatZone

GRID = (np.arange(200_000) + 0.5) / 200_000
"""Evenly spaced uniforms: the share mapped to each count is its probability, to 1/200,000."""


def shares(values: list[int], top: int) -> np.ndarray:
    return np.bincount(values, minlength=top + 1)[:top + 1] / len(values)


@pytest.mark.parametrize(("mean", "cap"), [(0.0, 4), (0.3, 6), (1.0, 4), (2.5, 40), (60.0, 200)])
def test_capped_poisson_is_exact(mean, cap):
    got = shares([poisson_at_most(float(u), mean, cap) for u in GRID], cap)
    want = stats.poisson.pmf(np.arange(cap + 1), mean)
    want[cap] = stats.poisson.sf(cap - 1, mean)  # everything from cap up is cap
    np.testing.assert_allclose(got, want, atol=2 / len(GRID))


@pytest.mark.parametrize(("n", "q"),
                         [(1, 0.1), (4, 0.1), (12, 0.5), (40, 0.93), (3, 0.0), (3, 1.0)])
def test_binomial_inverse_is_exact(n, q):
    got = shares([binomial_inverse(float(u), n, q) for u in GRID], n)
    np.testing.assert_allclose(got, stats.binom.pmf(np.arange(n + 1), n, q), atol=2 / len(GRID))


def test_parameters_beyond_the_loops_are_refused_not_guessed():
    assert poisson_at_most(0.5, 800.0, 10_000) is None  # exp(-800) underflows
    assert binomial_inverse(0.5, 5_000, 0.5) is None  # 0.5**5000 underflows


def test_fallbacks_keep_the_law():
    """A Poisson mean of 800 (convoys of 2,000) and 5,000 escorts each lost with 0.5: the
    numbers come from the crossing's NumPy generator, with the right means."""
    zone = ThreatZone(model="per_convoy", p_attack=1.0, mean_sunk_per_attack=800.0,
                      escort_loss_prob=0.5)
    subs = Streams(5).numbered("link:test/convoys")
    draws = [interdict(subs.draws(k), zone, 2_000, 5_000) for k in range(400)]
    sunk = np.array([sum(d[0]) for d in draws])
    lost = np.array([d[1] for d in draws])
    assert abs(sunk.mean() - 800) < 3.29 * np.sqrt(800 / 400)
    assert abs(lost.mean() - 2_500) < 3.29 * np.sqrt(1_250 / 400)


def test_each_decision_reads_its_own_uniform():
    """Per convoy, uniform 0 decides the attack whatever the convoy's size or escorts; per
    ship, ship i's fate is uniform i, so a smaller convoy meets its ships' same fortunes."""
    subs = Streams(9).numbered("link:test/convoys")
    convoy = ThreatZone(model="per_convoy", p_attack=0.5, mean_sunk_per_attack=1.0)
    for k in range(200):
        attacked = subs.draws(k).uniform(0) < 0.5
        for n, escorts in ((1, 0), (5, 0), (30, 0)):
            assert any(interdict(subs.draws(k), convoy, n, escorts)[0]) <= attacked
    ship = ThreatZone(model="per_ship", p_loss=0.3)
    for k in range(200):
        big = interdict(subs.draws(k), ship, 8, 0)[0]
        assert interdict(subs.draws(k), ship, 5, 0)[0] == big[:5]


def test_per_ship_gaps_give_independent_losses():
    """Geometric gaps: every ship's loss has probability p whatever its place in the convoy,
    and the number lost is Binomial(n, p) (chi-square, 99.9 %)."""
    n, p, trials = 6, 0.3, 20_000
    subs = Streams(4).numbered("link:test/convoys")
    ship = ThreatZone(model="per_ship", p_loss=p)
    flags = np.array([interdict(subs.draws(k), ship, n, 0)[0] for k in range(trials)])
    half = 3.29 * np.sqrt(p * (1 - p) / trials)
    assert (abs(flags.mean(axis=0) - p) < half).all()
    observed = np.bincount(flags.sum(axis=1), minlength=n + 1)
    expected = trials * stats.binom.pmf(np.arange(n + 1), n, p)
    assert stats.chisquare(observed, expected).pvalue > 0.001
